package trully

import "github.com/veredicto/veredicto/engine"

// The face-network block: document.front.face_analysis and selfie report the
// same fields, so their facts share one layout, offset from the block's first
// slot (fDocFace or fSelfie).
const (
	oMatch = iota
	oMatchFraudFlag
	oSeenDifferentCompanies
	oTimesSeenLastMonth
	oSeenByYourCompany
	oTimesSeenByYourCompany
	oMultipleExternalIDs
	oDaysSinceFirstSeen
	faceLen
)

// Local fact indexes: the position of each fact in facts.
const (
	fLabel = iota
	fRisk
	fReasons
	fFaceMatch
	fDocDetected
	fDocForensics
	fDocForensicsValid
	fDocInvalidFields
	fDocFieldsValid
	fDocValidThruYear
	fDocExpired
	fDocFace // first slot of the document-face block
)

const fSelfie = fDocFace + faceLen // first slot of the selfie block

const (
	fSelfieFirstSeenImage = fSelfie + faceLen + iota
	fCurpGovernmentValid
	fCurpNameValid
	fCurpDeceased
	fCurpIsMexican
	fCurpAge
	fCurpError
	fCurpFound
	nFacts
)

// Labels and the risk levels derived from them.
const (
	labelNoThreat        = "No Threat"
	labelReview          = "Review"
	labelPotentialThreat = "Potential Threat"
)

var facts = [nFacts]engine.FactSpec{
	fLabel: {Name: "trully.label", Kind: engine.String, Provider: provider,
		Description: "Trully's summary classification of the inquiry (root label). Unknown when the label is null or missing.",
		Values:      []string{labelNoThreat, labelReview, labelPotentialThreat}},
	fRisk: {Name: "trully.risk", Kind: engine.String, Provider: provider,
		Description: "Risk level derived from label: No Threat → low, Review → review, Potential Threat → high. Unknown when the label is null, missing or not one of the three.",
		Values:      []string{"low", "review", "high"}},
	fReasons: {Name: "trully.reasons", Kind: engine.List, Provider: provider,
		Description: "The reasons Trully gives for the label (root reason array, English sentences, in order). Empty when Trully sent []; unknown when reason is null or missing."},
	fFaceMatch: {Name: "trully.face_match", Kind: engine.Bool, Provider: provider,
		Description: "Whether the selfie face matches the face on the document (root face_match). Unknown when not reported (e.g. no selfie)."},

	fDocDetected: {Name: "trully.document.detected", Kind: engine.Bool, Provider: provider,
		Description: "Whether a document was detected in the image (document.details.detected). Unknown when not reported."},
	fDocForensics: {Name: "trully.document.forensics", Kind: engine.String, Provider: provider,
		Description: "Result of the forensic authenticity analysis of the document, lower case (document.details.forensics.is_valid). Unknown when null or missing.",
		Values:      []string{"valid", "inconclusive", "invalid"}},
	fDocForensicsValid: {Name: "trully.document.forensics_valid", Kind: engine.Bool, Provider: provider,
		Description: "true when the forensic analysis says valid, false when it says invalid (or fraud/tampered); unknown when inconclusive, null, missing or another word (document.details.forensics.is_valid)."},
	fDocInvalidFields: {Name: "trully.document.invalid_fields", Kind: engine.List, Provider: provider,
		Description: "Names of the fields read from the front of the document that Trully marked valid=false (keys of document.front.information, e.g. address, curp, valid_thru), in document order. Empty when all are valid; unknown when no field reported valid or a valid flag is not a bool."},
	fDocFieldsValid: {Name: "trully.document.fields_valid", Kind: engine.Bool, Provider: provider,
		Description: "true when every field of document.front.information that reports valid is valid, false when at least one is valid=false. Unknown when no field reported valid (e.g. document not detected), or when none is false but a valid flag is not a bool."},
	fDocValidThruYear: {Name: "trully.document.valid_thru_year", Kind: engine.Number, Provider: provider,
		Description: "The INE 'vigencia' year read from the document (document.front.information.valid_thru.text, e.g. 2033); the credential is valid through December 31 of that year. Unknown when missing or without a year."},
	fDocExpired: {Name: "trully.document.expired", Kind: engine.Bool, Provider: provider,
		Description: "Whether the evaluation time is after December 31 of the valid_thru year (end of day, Mexico City time, UTC-6). Unknown when the year is unknown."},

	fDocFace + oMatch: {Name: "trully.document_face.match", Kind: engine.Bool, Provider: provider,
		Description: "Whether the face on the document matched other faces in Trully's network (document.front.face_analysis.match). Unknown when not reported."},
	fDocFace + oMatchFraudFlag: {Name: "trully.document_face.match_fraud_flag", Kind: engine.Bool, Provider: provider,
		Description: "Whether the face on the document was flagged as identity fraud by a company in Trully's network (document.front.face_analysis.match_fraud_flag). Unknown when not reported."},
	fDocFace + oSeenDifferentCompanies: {Name: "trully.document_face.seen_different_companies", Kind: engine.Number, Provider: provider,
		Description: "Number of other companies in Trully's network that have seen the face on the document (document.front.face_analysis.seen_different_companies; a count, numeric strings accepted). Unknown when not reported."},
	fDocFace + oTimesSeenLastMonth: {Name: "trully.document_face.times_seen_last_month", Kind: engine.Number, Provider: provider,
		Description: "Times the face on the document was seen across the network in the last month (document.front.face_analysis.times_seen_last_month; a count). Unknown when not reported."},
	fDocFace + oSeenByYourCompany: {Name: "trully.document_face.seen_by_your_company", Kind: engine.Bool, Provider: provider,
		Description: "Whether the face on the document was seen before in an inquiry of this company (document.front.face_analysis.seen_by_your_company). Unknown when not reported."},
	fDocFace + oTimesSeenByYourCompany: {Name: "trully.document_face.times_seen_by_your_company", Kind: engine.Number, Provider: provider,
		Description: "Times the face on the document was seen in this company's inquiries (document.front.face_analysis.times_seen_by_your_company; a count). Unknown when not reported."},
	fDocFace + oMultipleExternalIDs: {Name: "trully.document_face.multiple_external_ids", Kind: engine.Bool, Provider: provider,
		Description: "Whether the face on the document is associated with several external ids (document.front.face_analysis.warnings.external_id present). false when warnings is {} or has no external_id; unknown when warnings is null or missing."},
	fDocFace + oDaysSinceFirstSeen: {Name: "trully.document_face.days_since_first_seen", Kind: engine.Number, Provider: provider,
		Description: "Whole days from the first time Trully's network saw the face on the document to the evaluation time (document.front.face_analysis.first_seen, MM/DD/YYYY, hh:mm:ss read as UTC). 0 for a new face; unknown when missing or unreadable."},

	fSelfie + oMatch: {Name: "trully.selfie.match", Kind: engine.Bool, Provider: provider,
		Description: "Whether the selfie face matched other faces in Trully's network (selfie.match). Unknown when not reported or no selfie."},
	fSelfie + oMatchFraudFlag: {Name: "trully.selfie.match_fraud_flag", Kind: engine.Bool, Provider: provider,
		Description: "Whether the selfie face was flagged as identity fraud by a company in Trully's network (selfie.match_fraud_flag). Unknown when not reported or no selfie."},
	fSelfie + oSeenDifferentCompanies: {Name: "trully.selfie.seen_different_companies", Kind: engine.Number, Provider: provider,
		Description: "Number of other companies in Trully's network that have seen the selfie face (selfie.seen_different_companies; a count, numeric strings accepted). Unknown when not reported or no selfie."},
	fSelfie + oTimesSeenLastMonth: {Name: "trully.selfie.times_seen_last_month", Kind: engine.Number, Provider: provider,
		Description: "Times the selfie face was seen across the network in the last month (selfie.times_seen_last_month; a count). Unknown when not reported or no selfie."},
	fSelfie + oSeenByYourCompany: {Name: "trully.selfie.seen_by_your_company", Kind: engine.Bool, Provider: provider,
		Description: "Whether the selfie face was seen before in an inquiry of this company (selfie.seen_by_your_company). Unknown when not reported or no selfie."},
	fSelfie + oTimesSeenByYourCompany: {Name: "trully.selfie.times_seen_by_your_company", Kind: engine.Number, Provider: provider,
		Description: "Times the selfie face was seen in this company's inquiries (selfie.times_seen_by_your_company; a count). Unknown when not reported or no selfie."},
	fSelfie + oMultipleExternalIDs: {Name: "trully.selfie.multiple_external_ids", Kind: engine.Bool, Provider: provider,
		Description: "Whether the selfie face is associated with several external ids (selfie.warnings.external_id present). false when warnings is {} or has no external_id; unknown when warnings is null or missing."},
	fSelfie + oDaysSinceFirstSeen: {Name: "trully.selfie.days_since_first_seen", Kind: engine.Number, Provider: provider,
		Description: "Whole days from the first time Trully's network saw the selfie face to the evaluation time (selfie.first_seen, MM/DD/YYYY, hh:mm:ss read as UTC). 0 for a new face; unknown when missing or unreadable."},
	fSelfieFirstSeenImage: {Name: "trully.selfie.first_seen_image", Kind: engine.Bool, Provider: provider,
		Description: "Whether this exact selfie image is seen for the first time (selfie.first_seen_image); false means the image was submitted before. Unknown when not reported or no selfie."},

	fCurpGovernmentValid: {Name: "trully.curp.government_valid", Kind: engine.Bool, Provider: provider,
		Description: "Whether the CURP is valid in the government registry RENAPO (curp.government_valid). Unknown when not reported."},
	fCurpNameValid: {Name: "trully.curp.name_valid", Kind: engine.Bool, Provider: provider,
		Description: "Whether the name in the request is consistent with the name registered for the CURP (curp.name_to_CURP_valid). Unknown when not reported."},
	fCurpDeceased: {Name: "trully.curp.deceased", Kind: engine.Bool, Provider: provider,
		Description: "Whether RENAPO marks the person of the CURP as deceased (curp.deceased). Unknown when not reported (null when the CURP was not found)."},
	fCurpIsMexican: {Name: "trully.curp.is_mexican", Kind: engine.Bool, Provider: provider,
		Description: "Whether the CURP belongs to a Mexican citizen (curp.is_mexican). Unknown when not reported."},
	fCurpAge: {Name: "trully.curp.age", Kind: engine.Number, Provider: provider,
		Description: "The applicant's age in years as Trully computed it from the CURP (curp.age, at the time of the inquiry, not of the evaluation). Unknown when not reported."},
	fCurpError: {Name: "trully.curp.error", Kind: engine.String, Provider: provider,
		Description: "Trully's message on the RENAPO lookup of the CURP, as reported, e.g. 'CURP no encontrada' (curp.error). Unknown when there is no error."},
	fCurpFound: {Name: "trully.curp.found", Kind: engine.Bool, Provider: provider,
		Description: "Whether the CURP exists in RENAPO: false when curp.error says it was not found / does not exist; true when curp.government_valid is reported without an error. Unknown otherwise (e.g. another error, or no curp object)."},
}

// Facts documents the provider's facts; the position of each is its local index.
func (Provider) Facts() []engine.FactSpec { return facts[:] }
