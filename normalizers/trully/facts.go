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

// Polarity shorthands.
const (
	info         = engine.Informational
	adverseFalse = engine.AdverseFalse
	adverseTrue  = engine.AdverseTrue
	higherWorse  = engine.HigherWorse
)

// Every fact below follows the same evidence rules, stated once here and
// per fact where a field has its own: a present value that cannot be read
// (wrong type, a word outside the documented set, an unparsable date, a
// number out of range) leaves the fact unknown and marks it unreadable, with
// the field and byte offset; when several Trully responses of a case (or a
// wrapper and the response inside it) report different values, the fact is
// conflicting and keeps the adverse side. Identical re-deliveries are one
// result.
var facts = func() [nFacts]engine.FactSpec {
	return [nFacts]engine.FactSpec{
		fLabel: {Name: "trully.label", Kind: engine.String, Provider: provider,
			Description: "Trully's summary classification of the inquiry (root label; also the label of an SDK result wrapper). Unknown when null or missing; unreadable when not a string or not one of the three labels (matched without regard to case or surrounding space), including an empty string; conflicting when responses disagree (the worse label is kept).",
			Values:      []string{labelNoThreat, labelReview, labelPotentialThreat},
			Polarity:    engine.AdverseValues, Adverse: []string{labelReview, labelPotentialThreat}},
		fRisk: {Name: "trully.risk", Kind: engine.String, Provider: provider,
			Description: "Risk level derived from label: No Threat → low, Review → review, Potential Threat → high. Unknown, unreadable or conflicting exactly when trully.label is.",
			Values:      []string{"low", "review", "high"},
			Polarity:    engine.AdverseValues, Adverse: []string{"review", "high"}},
		fReasons: {Name: "trully.reasons", Kind: engine.List, Provider: provider,
			Description: "The reasons Trully gives for the label (root reason array, English sentences, in order; a lone string is one reason). Empty when Trully sent []; unknown when null or missing; unreadable when not an array or an element is not a string. Informational: the sentences explain trully.label (itself adverse-valued) and are not a documented set, and each signal they cite is read as its own fact.",
			Polarity:    info},
		fFaceMatch: {Name: "trully.face_match", Kind: engine.Bool, Provider: provider,
			Description: "Whether the selfie face matches the face on the document (root face_match; 0/1 accepted). Unknown when not reported (e.g. no selfie).",
			Polarity:    adverseFalse},

		fDocDetected: {Name: "trully.document.detected", Kind: engine.Bool, Provider: provider,
			Description: "Whether a document was detected in the image (document.details.detected). Unknown when not reported; unreadable also when document.details is not an object.",
			Polarity:    adverseFalse},
		fDocForensics: {Name: "trully.document.forensics", Kind: engine.String, Provider: provider,
			Description: "Result of the forensic authenticity analysis of the document, lower case (document.details.forensics.is_valid; a JSON boolean reads as valid/invalid). Unknown when null or missing; unreadable for another word or type, or when forensics is not an object. inconclusive is adverse: the analysis did not establish that the document is authentic.",
			Values:      []string{"valid", "inconclusive", "invalid"},
			Polarity:    engine.AdverseValues, Adverse: []string{"inconclusive", "invalid"}},
		fDocForensicsValid: {Name: "trully.document.forensics_valid", Kind: engine.Bool, Provider: provider,
			Description: "true when the forensic analysis says valid, false when it says invalid; unknown when inconclusive, null or missing; unreadable exactly when trully.document.forensics is (document.details.forensics.is_valid).",
			Polarity:    adverseFalse},
		fDocInvalidFields: {Name: "trully.document.invalid_fields", Kind: engine.List, Provider: provider,
			Description: "Names of the fields read from the front of the document that Trully marked valid=false (keys of document.front.information, e.g. address, curp, valid_thru), in document order. Empty when all are valid; unknown when no field reported valid; unreadable (keeping the invalid fields that could be read) when a valid flag is not a bool or a field is not a {text, valid} object.",
			Polarity:    engine.AdverseNonEmpty},
		fDocFieldsValid: {Name: "trully.document.fields_valid", Kind: engine.Bool, Provider: provider,
			Description: "true when every field of document.front.information that reports valid is valid, false when at least one is valid=false. Unknown when no field reported valid (e.g. document not detected); unreadable when a valid flag or a field cannot be read (a readable valid=false still makes it false).",
			Polarity:    adverseFalse},
		fDocValidThruYear: {Name: "trully.document.valid_thru_year", Kind: engine.Number, Provider: provider,
			Description: "The year of the INE 'vigencia' read from the document (document.front.information.valid_thru.text: a year such as 2033, the last year of \"2023 2033\", or a full date, day first, ISO or Spanish). Unknown when missing; unreadable when the text is blank, holds no date or year, or the year is outside 1990–2100.",
			Polarity:    engine.LowerWorse},
		fDocExpired: {Name: "trully.document.expired", Kind: engine.Bool, Provider: provider,
			Description: "Whether the evaluation time is past the vigencia: the end of December 31 of the valid_thru year, or of the valid_thru date when the text is a full date (end of day, Mexico City time, UTC-6). Unknown or unreadable when the vigencia is; unknown without an evaluation time.",
			Polarity:    adverseTrue},

		fDocFace + oMatch: {Name: "trully.document_face.match", Kind: engine.Bool, Provider: provider,
			Description: "Whether the face on the document matched other faces in Trully's network (document.front.face_analysis.match). Informational: a returning applicant's own face matches too; the adverse signals of a match are match_fraud_flag, multiple_external_ids and the counters.",
			Polarity:    info},
		fDocFace + oMatchFraudFlag: {Name: "trully.document_face.match_fraud_flag", Kind: engine.Bool, Provider: provider,
			Description: "Whether the face on the document was flagged as identity fraud by a company in Trully's network (document.front.face_analysis.match_fraud_flag; 1 is true).",
			Polarity:    adverseTrue},
		fDocFace + oSeenDifferentCompanies: {Name: "trully.document_face.seen_different_companies", Kind: engine.Number, Provider: provider,
			Description: "Number of other companies in Trully's network that have seen the face on the document (document.front.face_analysis.seen_different_companies; a whole count ≥ 0, numeric strings accepted, else unreadable).",
			Polarity:    higherWorse},
		fDocFace + oTimesSeenLastMonth: {Name: "trully.document_face.times_seen_last_month", Kind: engine.Number, Provider: provider,
			Description: "Times the face on the document was seen across the network in the last month (document.front.face_analysis.times_seen_last_month; a whole count ≥ 0).",
			Polarity:    higherWorse},
		fDocFace + oSeenByYourCompany: {Name: "trully.document_face.seen_by_your_company", Kind: engine.Bool, Provider: provider,
			Description: "Whether the face on the document was seen before in an inquiry of this company (document.front.face_analysis.seen_by_your_company). Informational: a returning applicant.",
			Polarity:    info},
		fDocFace + oTimesSeenByYourCompany: {Name: "trully.document_face.times_seen_by_your_company", Kind: engine.Number, Provider: provider,
			Description: "Times the face on the document was seen in this company's inquiries (document.front.face_analysis.times_seen_by_your_company; a whole count ≥ 0). Worse when higher: repeated attempts.",
			Polarity:    higherWorse},
		fDocFace + oMultipleExternalIDs: {Name: "trully.document_face.multiple_external_ids", Kind: engine.Bool, Provider: provider,
			Description: "Whether the face on the document is associated with several external ids (document.front.face_analysis.warnings.external_id: a message, a non-empty array or true). false when warnings is {} or external_id is absent, null, false, \"\" or []; unknown when warnings is null or missing; unreadable when warnings or external_id has another type.",
			Polarity:    adverseTrue},
		fDocFace + oDaysSinceFirstSeen: {Name: "trully.document_face.days_since_first_seen", Kind: engine.Number, Provider: provider,
			Description: "Whole days from the first time Trully's network saw the face on the document to the evaluation time (document.front.face_analysis.first_seen, MM/DD/YYYY, hh:mm:ss read as UTC; ISO date-times accepted). 0 for a new face (up to a day of clock skew); unknown without an evaluation time; unreadable when unparsable or more than a day after the evaluation time.",
			Polarity:    info},

		fSelfie + oMatch: {Name: "trully.selfie.match", Kind: engine.Bool, Provider: provider,
			Description: "Whether the selfie face matched other faces in Trully's network (selfie.match). Unknown when not reported or no selfie. Informational, as trully.document_face.match.",
			Polarity:    info},
		fSelfie + oMatchFraudFlag: {Name: "trully.selfie.match_fraud_flag", Kind: engine.Bool, Provider: provider,
			Description: "Whether the selfie face was flagged as identity fraud by a company in Trully's network (selfie.match_fraud_flag; 1 is true). Unknown when not reported or no selfie.",
			Polarity:    adverseTrue},
		fSelfie + oSeenDifferentCompanies: {Name: "trully.selfie.seen_different_companies", Kind: engine.Number, Provider: provider,
			Description: "Number of other companies in Trully's network that have seen the selfie face (selfie.seen_different_companies; a whole count ≥ 0, numeric strings accepted, else unreadable). Unknown when not reported or no selfie.",
			Polarity:    higherWorse},
		fSelfie + oTimesSeenLastMonth: {Name: "trully.selfie.times_seen_last_month", Kind: engine.Number, Provider: provider,
			Description: "Times the selfie face was seen across the network in the last month (selfie.times_seen_last_month; a whole count ≥ 0). Unknown when not reported or no selfie.",
			Polarity:    higherWorse},
		fSelfie + oSeenByYourCompany: {Name: "trully.selfie.seen_by_your_company", Kind: engine.Bool, Provider: provider,
			Description: "Whether the selfie face was seen before in an inquiry of this company (selfie.seen_by_your_company). Unknown when not reported or no selfie. Informational: a returning applicant.",
			Polarity:    info},
		fSelfie + oTimesSeenByYourCompany: {Name: "trully.selfie.times_seen_by_your_company", Kind: engine.Number, Provider: provider,
			Description: "Times the selfie face was seen in this company's inquiries (selfie.times_seen_by_your_company; a whole count ≥ 0). Unknown when not reported or no selfie. Worse when higher: repeated attempts.",
			Polarity:    higherWorse},
		fSelfie + oMultipleExternalIDs: {Name: "trully.selfie.multiple_external_ids", Kind: engine.Bool, Provider: provider,
			Description: "Whether the selfie face is associated with several external ids (selfie.warnings.external_id: a message, a non-empty array or true). false when warnings is {} or external_id is absent, null, false, \"\" or []; unknown when warnings is null or missing; unreadable when warnings or external_id has another type.",
			Polarity:    adverseTrue},
		fSelfie + oDaysSinceFirstSeen: {Name: "trully.selfie.days_since_first_seen", Kind: engine.Number, Provider: provider,
			Description: "Whole days from the first time Trully's network saw the selfie face to the evaluation time (selfie.first_seen, MM/DD/YYYY, hh:mm:ss read as UTC; ISO date-times accepted). 0 for a new face (up to a day of clock skew); unknown without an evaluation time or selfie; unreadable when unparsable or more than a day after the evaluation time.",
			Polarity:    info},
		fSelfieFirstSeenImage: {Name: "trully.selfie.first_seen_image", Kind: engine.Bool, Provider: provider,
			Description: "Whether this exact selfie image is seen for the first time (selfie.first_seen_image); false means the very same image was submitted before (a replayed image). Unknown when not reported or no selfie.",
			Polarity:    adverseFalse},

		fCurpGovernmentValid: {Name: "trully.curp.government_valid", Kind: engine.Bool, Provider: provider,
			Description: "Whether the CURP is valid in the government registry RENAPO (curp.government_valid). Unknown when not reported; conflicting when true while curp.error says the CURP was not found.",
			Polarity:    adverseFalse},
		fCurpNameValid: {Name: "trully.curp.name_valid", Kind: engine.Bool, Provider: provider,
			Description: "Whether the name in the request is consistent with the name registered for the CURP (curp.name_to_CURP_valid). Unknown when not reported.",
			Polarity:    adverseFalse},
		fCurpDeceased: {Name: "trully.curp.deceased", Kind: engine.Bool, Provider: provider,
			Description: "Whether RENAPO marks the person of the CURP as deceased (curp.deceased). Unknown when not reported (null when the CURP was not found).",
			Polarity:    adverseTrue},
		fCurpIsMexican: {Name: "trully.curp.is_mexican", Kind: engine.Bool, Provider: provider,
			Description: "Whether the CURP belongs to a Mexican citizen (curp.is_mexican). Unknown when not reported. Informational: foreign residents hold CURPs too.",
			Polarity:    info},
		fCurpAge: {Name: "trully.curp.age", Kind: engine.Number, Provider: provider,
			Description: "The applicant's age in years as Trully computed it from the CURP (curp.age, at the time of the inquiry, not of the evaluation). Unknown when not reported; unreadable when not a whole number in 0–130, or when curp.date_of_birth lies after the evaluation time. Informational: the minimum age is the policy's.",
			Polarity:    info},
		fCurpError: {Name: "trully.curp.error", Kind: engine.String, Provider: provider,
			Description: "Trully's message on the RENAPO lookup of the CURP, as reported, e.g. 'CURP no encontrada' (curp.error). Unknown when there is no error; unreadable when not a string. Informational: free text, whose meaning is read into trully.curp.found.",
			Polarity:    info},
		fCurpFound: {Name: "trully.curp.found", Kind: engine.Bool, Provider: provider,
			Description: "Whether the CURP exists in RENAPO: false when curp.error says it was not found / does not exist; true when curp.government_valid is reported without an error. Unknown otherwise (e.g. another error, or no curp object); unreadable when curp.error is not a string.",
			Polarity:    adverseFalse},
	}
}()

// Facts documents the provider's facts; the position of each is its local index.
func (Provider) Facts() []engine.FactSpec { return facts[:] }
