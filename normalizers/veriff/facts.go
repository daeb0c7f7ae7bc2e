package veriff

import "github.com/veredicto/veredicto/engine"

// Local fact indexes: the position of each fact in facts.
const (
	fDecisionAvailable = iota
	fAPIError
	fAPIErrorCode
	fStatus
	fCode
	fCodeStatus
	fCodeConsistent
	fReasonCode
	fReason
	fReasonGroup
	fReasonCategory

	fPersonGender
	fPersonNationality
	fPersonAge
	fPersonPEP

	fDocType
	fDocCountry
	fDocState
	fDocValidUntil
	fDocExpired
	fDocDaysToExpiry

	fEstimatedAge
	fEstimatedGender
	fSelfieMatch
	fBioauthMatched

	fRiskScore
	fRiskLabels
	fRiskLabelCategories
	fRiskLinkedSessions

	fINEFullNameMatch
	fINEDOBMatch
	fINEGenderMatch
	fINEProcessed
	fINECardValid
	fINEValidForVoting
	fINEValidUntil
	fINEExpired

	fCURPFullNameMatch
	fCURPDOBMatch
	fCURPGenderMatch
	fCURPProcessed
	fCURPValid
	fCURPNoRiskFactors
	fCURPRegistryStatus
	fCURPDeceased

	fINEBioFaceMatch
	fINEBioFaceMatchPct
	fINEBioResponseStatus

	fPOANameMatch
	fPOANameMatchPct
	fPOADocumentType
	fPOADaysSinceIssue
	fPOAFraudRiskLevel
	fPOAFraudReason
	fPOAFraudIndicators
	fPOAAddressType
	fPOACountryExists
	fPOAAddressMatch
	fPOAAddressMatchPct
	fPOAAddressMatchThreshold

	fDBFirstNameMatch
	fDBLastNameMatch
	fDBDOBMatch
	fDBAddressMatch
	fDBCityMatch
	fDBStateMatch
	fDBZipMatch
	fDBIDNumberMatch
	fDBPhoneMatch
	fDBRegistries

	fCODocumentValid
	fCOPersonAlive
	fCOFullNameSimilarity
	fCORegistryName
	fCOCountry

	fBRFirstNameMatch
	fBRLastNameMatch
	fBRDOBMatch
	fBRFaceMatch

	fCPFStatus
	fCPFValidated
	fCPFDeceased

	fCadProcessed
	fCadUserDataValid
	fCadBenefits
	fCadIsBeneficiary

	fPBProcessed
	fPBUserDataValid
	fPBOnPIA
	fPBOnProBet
	fPBAllowedToBet
	fPBIsPEP
	fPBIsArtist
	fPBIsInfluencer

	fPriorDeclines

	fDocNotYetValid
	fDocSecurityRisk
	fDocTemporaryEmergency
	fDocLegalStatus
	fDocNFCValidated
	fDocPortraitVisible
	fRiskLabelGroups

	nFacts
)

const (
	vResult = " Read from validations.*.result: success is true, failure is false; not_applicable, skipped or a missing check leave it unknown (the documented misspelling \"sucess\" reads as success)."
	vMX     = " One of MATCH, NO_MATCH, NO_INPUT (no data was sent for the field), NO_DATA (the registry has none); unknown when the registry check did not run or has no matchData."
	vDB     = " Combined over every registry of additionalVerifiedData.validationResults: NO_MATCH or INVALID from any registry wins (marked conflicting when another registry said MATCH or PARTIAL_MATCH); otherwise the best level, MATCH > PARTIAL_MATCH, and NO_DATA / NO_INPUT only when no registry said more. Unknown when no registry reported the field; unreadable when a registry sent an undocumented level."
	vAsOf   = " Computed against the evaluation time (AsOf), by calendar day."
)

// Documented bounds of the adverse numbers.
var (
	adultLimit   = 17.0 // an age of 17 or less
	expiredLimit = 0.0  // no day of validity left
	oneLimit     = 1.0  // linked to one other session or more
	ineFaceLimit = 85.0 // INE biometric similarity of 85% or less is no match (the seed: above 85 is a match)

	// dbAdverse are the US database match levels that are evidence against.
	dbAdverse = []string{mNoMatch, mInvalid}
	// curpDeregistered are RENAPO's statuses of a CURP that was withdrawn
	// (baja): by death, for another person's use, a duplicate, a change.
	curpDeregistered  = []string{"BD", "BAP", "BDA", "BCC", "BCN", "BSU"}
	legalStatusValues = []string{"primary", "secondary", "tertiary"}
)

var facts = func() [nFacts]engine.FactSpec {
	return [nFacts]engine.FactSpec{
		fDecisionAvailable: {Name: "veriff.decision_available", Kind: engine.Bool, Description: "True when the payload carries a decision (verification is an object with a decision status); false when verification is null (no decision yet, ask again later), the body is an API error, a session-creation response (status created) or a session event webhook (action started / submitted). Every decision fact is unknown when this is false, so a requirement on veriff.status is what blocks: the fact itself is informational. Conflicting when several payloads disagree."},
		fAPIError:          {Name: "veriff.api_error", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when the body is a Veriff API error ({\"status\":\"fail\",\"code\",\"message\"}, e.g. 401 or 404) instead of a decision; false for a decision or a pending (null) decision."},
		fAPIErrorCode:      {Name: "veriff.api_error_code", Kind: engine.String, Description: "The code of a Veriff API error body, as text (e.g. \"1101\"); unknown unless veriff.api_error is true."},
		fStatus:            {Name: "veriff.status", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{stDeclined, stResubmission, stExpired, stAbandoned, stReview}, Values: statusValues, Description: "The decision, from verification.status. review is not on the decision API page but is a documented session status. Unknown when there is no decision or no status."},
		fCode:              {Name: "veriff.code", Kind: engine.Number, Description: "The decision code, verification.code (9001 approved, 9102 declined, 9103 resubmission_requested, 9104 expired, 9121 abandoned/review), read from a number or a numeric string. Unknown when absent."},
		fCodeStatus:        {Name: "veriff.code_status", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{stDeclined, stResubmission, stExpired, stAbandoned, stReview}, Values: statusValues, Description: "The status that verification.code implies by the decision API page (9121 is abandoned there; Veriff's status-code table calls it review). Unknown when the code is absent or not a documented decision code."},
		fCodeConsistent:    {Name: "veriff.code_consistent", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether verification.status agrees with verification.code. 9121 agrees with abandoned or review and 9104 with expired or abandoned, as Veriff's own tables disagree on them; an undocumented code is inconsistent. Unknown unless both status and code are present."},
		fReasonCode:        {Name: "veriff.reason_code", Kind: engine.Number, Description: "The granular reason code of a decline or resubmission, verification.reasonCode (number or numeric string). Unknown when null (approved sessions)."},
		fReason:            {Name: "veriff.reason", Kind: engine.String, Description: "Veriff's reason text, verification.reason, kept as reported (it may disagree with the code: the code decides group and category). Unknown when null."},
		fReasonGroup:       {Name: "veriff.reason_group", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{grDecline, grResubmission}, Values: groupValues, Description: "The kind of reason, from the range of verification.reasonCode: 1xx and 5xx are decline reasons, 2xx and 6xx ask for resubmission, anything else is other. Unknown without a reason code."},
		fReasonCategory:    {Name: "veriff.reason_category", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: categoryValues, Values: categoryValues, Description: "Our category of verification.reasonCode, from a table of Veriff's granular reason codes (e.g. 102 document_tampering, 103/120/509 face_mismatch, 108-110 duplicate, 126 pep, 530-536 underage, 207/511/620 document_expired); other for a code not in the table. Unknown without a reason code; unreadable when reasonCode is sent but is not a whole number. Every category is adverse: Veriff gives a reason only for a failed verification."},

		fPersonGender:      {Name: "veriff.person.gender", Kind: engine.String, Values: genderValues, Description: "Gender read from the document, verification.person.gender (M or F). Unknown when null."},
		fPersonNationality: {Name: "veriff.person.nationality", Kind: engine.String, Description: "Nationality read from the document, verification.person.nationality, ISO 3166-1 alpha-2 in capitals. Unknown when null or not extracted."},
		fPersonAge:         {Name: "veriff.person.age", Kind: engine.Number, Polarity: engine.LowerWorse, Limit: &adultLimit, Description: "Age in whole years from verification.person.dateOfBirth; when only yearOfBirth is known, the lowest age consistent with it (as if born on 31 December)." + vAsOf + " Unknown without either."},
		fPersonPEP:         {Name: "veriff.person.pep_sanction_match", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when verification.person.pepSanctionMatch reports a match (any text such as \"possible match\", or JSON true), false when it reports none (\"no match\", \"none\", \"clear\", JSON false), unknown when null or empty; a value of another type is unreadable. LEGACY: Veriff documents this field as unreliable (it may return incorrect results and should be ignored), so a policy may accept it as informational; it is adverse because a reported match is evidence, however weak."},

		fDocType:         {Name: "veriff.document.type", Kind: engine.String, Values: docTypeValues, Description: "Type of the identity document, verification.document.type. Unknown when null."},
		fDocCountry:      {Name: "veriff.document.country", Kind: engine.String, Description: "Issuing country of the document, verification.document.country, ISO 3166-1 alpha-2. Unknown when null."},
		fDocState:        {Name: "veriff.document.state", Kind: engine.String, Description: "Issuing state of the document, verification.document.state (e.g. NY). Unknown when null."},
		fDocValidUntil:   {Name: "veriff.document.valid_until", Kind: engine.String, Description: "Expiry date of the document, verification.document.validUntil, as YYYY-MM-DD. Read as an ISO date or date-time (2028-04-20, 2020-01-01T00:00:00Z) or a day-first numeric date. Unknown when null; unreadable (with veriff.document.expired and veriff.document.days_to_expiry) when sent but not a date."},
		fDocExpired:      {Name: "veriff.document.expired", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when the evaluation day is after verification.document.validUntil (the document is valid through that day)." + vAsOf + " Unknown without validUntil."},
		fDocDaysToExpiry: {Name: "veriff.document.days_to_expiry", Kind: engine.Number, Polarity: engine.LowerWorse, Limit: &expiredLimit, Description: "Days from the evaluation day to verification.document.validUntil (0 on the last valid day, negative once expired)." + vAsOf + " Unknown without validUntil."},

		fEstimatedAge:    {Name: "veriff.estimated_age", Kind: engine.Number, Polarity: engine.LowerWorse, Description: "Age in years estimated from the selfie, additionalVerifiedData.estimatedAge (Age Estimation), 0 to 150; worse when lower (a possible minor). Unknown when the feature is off; unreadable when not a number or out of range; conflicting when elements disagree (the lower is kept)."},
		fEstimatedGender: {Name: "veriff.estimated_gender", Kind: engine.Number, Description: "Gender estimated from the selfie, additionalVerifiedData.estimatedGender: 0.0 to 1.0, near 0 male, near 1 female. Unknown when the feature is off."},
		fSelfieMatch:     {Name: "veriff.selfie_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{"weak_match"}, Values: selfieMatchValues, Description: "Strength of the selfie-to-reference-selfie face match, additionalVerifiedData.faceMatch (Selfie2Selfie): strong_match, possible_match or weak_match. Unknown when the solution is off."},
		fBioauthMatched:  {Name: "veriff.bioauth.matched", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Biometric authentication: true when verification.biometricAuthentication.matchedSessionId names a session whose face matched, false when it is null. Unknown when the solution is off (no biometricAuthentication object)."},

		fRiskScore:           {Name: "veriff.risk_score", Kind: engine.Number, Polarity: engine.HigherWorse, Description: "Overall session risk, verification.riskScore.score, 0.0 (genuine) to 1.0 (risky); the Customer Portal shows it as 1-100, and a value above 1 and up to 100 is read on that scale (divided by 100). Veriff documents no band, so only the direction is declared. Unknown unless the Fraud Intelligence Package is on; unreadable when not a number or outside 0..100."},
		fRiskLabels:          {Name: "veriff.risk_labels", Kind: engine.List, Polarity: engine.AdverseNonEmpty, Description: "Distinct risk label names, verification.riskLabels[].label (e.g. session_face_crosslinked_with_multiple_sessions). Empty when Veriff sent an empty list; unknown when riskLabels is absent or null; unreadable (with the other risk-label facts) when riskLabels is not an array or an element is not an object, or a label is not a string."},
		fRiskLabelCategories: {Name: "veriff.risk_label_categories", Kind: engine.List, Polarity: engine.AdverseNonEmpty, Description: "Distinct categories of the risk labels, verification.riskLabels[].category (client_data_mismatch, crosslinks, device, document, images, network, session, person, risk-score). Empty or unknown as veriff.risk_labels; an undocumented category is unreadable (the documented ones are kept)."},
		fRiskLinkedSessions:  {Name: "veriff.risk_linked_sessions", Kind: engine.Number, Polarity: engine.HigherWorse, Limit: &oneLimit, Description: "Number of distinct other sessions referenced by the risk labels, verification.riskLabels[].sessionIds. 0 when no label links a session; unknown when riskLabels is absent or null; unreadable when a sessionIds is not an array of strings (never read as 0)."},

		fINEFullNameMatch:  {Name: "veriff.ine.full_name_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{mNoMatch}, Values: mxMatchValues, Description: "Full name against the INE voter registry, officialDatabaseVerification.ine.matchData.fullName." + vMX},
		fINEDOBMatch:       {Name: "veriff.ine.dob_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{mNoMatch}, Values: mxMatchValues, Description: "Date of birth against the INE voter registry, officialDatabaseVerification.ine.matchData.dateOfBirth." + vMX},
		fINEGenderMatch:    {Name: "veriff.ine.gender_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{mNoMatch}, Values: mxMatchValues, Description: "Gender against the INE voter registry, officialDatabaseVerification.ine.matchData.gender." + vMX},
		fINEProcessed:      {Name: "veriff.ine.processed", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the INE registry request was processed, officialDatabaseVerification.ine.validations.processing." + vResult},
		fINECardValid:      {Name: "veriff.ine.card_valid", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the INE credential exists in the registry and its data match, officialDatabaseVerification.ine.validations.ineCardIsValid." + vResult},
		fINEValidForVoting: {Name: "veriff.ine.valid_for_voting", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the INE credential carries active voting rights, officialDatabaseVerification.ine.validations.ineIsValidForVoting." + vResult},
		fINEValidUntil:     {Name: "veriff.ine.valid_until", Kind: engine.String, Description: "End of validity of the INE credential as YYYY-MM-DD, from officialDatabaseVerification.ine.registryResponse.validity, a Spanish long date (\"31 de diciembre de 2028\"), also read abbreviated (31-DIC-2028), numeric day first (31/12/2028), ISO, or as a bare year (the last day of that year). Unknown when absent or unreadable."},
		fINEExpired:        {Name: "veriff.ine.expired", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when the evaluation day is after the INE credential's validity (registryResponse.validity)." + vAsOf + " Unknown without a validity; unreadable (with veriff.ine.valid_until) when the validity is sent but is no date."},

		fCURPFullNameMatch:  {Name: "veriff.curp.full_name_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{mNoMatch}, Values: mxMatchValues, Description: "Full name against the RENAPO CURP registry, officialDatabaseVerification.curp.matchData.fullName." + vMX},
		fCURPDOBMatch:       {Name: "veriff.curp.dob_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{mNoMatch}, Values: mxMatchValues, Description: "Date of birth against the RENAPO CURP registry, officialDatabaseVerification.curp.matchData.dateOfBirth." + vMX},
		fCURPGenderMatch:    {Name: "veriff.curp.gender_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{mNoMatch}, Values: mxMatchValues, Description: "Gender against the RENAPO CURP registry, officialDatabaseVerification.curp.matchData.gender." + vMX},
		fCURPProcessed:      {Name: "veriff.curp.processed", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the CURP registry request was processed, officialDatabaseVerification.curp.validations.processing." + vResult},
		fCURPValid:          {Name: "veriff.curp.valid", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the CURP is valid in the registry, officialDatabaseVerification.curp.validations.curpIsValid." + vResult},
		fCURPNoRiskFactors:  {Name: "veriff.curp.no_risk_factors", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "True when the CURP risk-factor check passed (no risk factors), false when it found some: validations.curpHasNoRiskFactors, also read under the key curpHasRiskFactors that Veriff's example uses for the same check." + vResult},
		fCURPRegistryStatus: {Name: "veriff.curp.registry_status", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: curpDeregistered, Description: "Status of the CURP in RENAPO, officialDatabaseVerification.curp.registryResponse.curpStatus, as reported (RENAPO codes: AN/AH active, RCC/RCN changed, BD deregistered by death, BAP/BDA/BCC/BCN/BSU other deregistrations); every deregistration (baja) is adverse. Unknown when absent; unreadable (with veriff.curp.deceased) when not a string."},
		fCURPDeceased:       {Name: "veriff.curp.deceased", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when the RENAPO CURP status is BD (baja por defunción: the holder is deceased), false for any other reported status. Unknown when there is no curpStatus."},

		fINEBioFaceMatch:      {Name: "veriff.ine_biometric.face_match", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the selfie matches the INE registry photo, ineBiometricValidation.faceMatch. Veriff decides it from faceMatchPercentage (above 85 is a match, below 85 is not): when faceMatch is null the percentage decides it (85 itself is not above 85, so no match), and when both are sent and disagree the fact is conflicting and false. Unknown when both are null; unreadable when not a bool."},
		fINEBioFaceMatchPct:   {Name: "veriff.ine_biometric.face_match_pct", Kind: engine.Number, Polarity: engine.LowerWorse, Limit: &ineFaceLimit, Description: "Similarity of the selfie and the INE registry photo, ineBiometricValidation.faceMatchPercentage, 0 to 100; above 85 is a match. Unknown when null."},
		fINEBioResponseStatus: {Name: "veriff.ine_biometric.response_status", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{"failure"}, Values: responseStatValues, Description: "Response of the INE biometric service, ineBiometricValidation.responseStatus (success or failure). Unknown when null."},

		fPOANameMatch:             {Name: "veriff.poa.name_match", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the name on the proof-of-address document matches the session's name, proofOfAddress.nameMatch. Unknown when null (the check could not be completed)."},
		fPOANameMatchPct:          {Name: "veriff.poa.name_match_pct", Kind: engine.Number, Polarity: engine.LowerWorse, Description: "Similarity of the proof-of-address name to the session's name, proofOfAddress.nameMatchPercentage, 0 to 100. Unknown when null."},
		fPOADocumentType:          {Name: "veriff.poa.document_type", Kind: engine.String, Description: "Type of the proof-of-address document, proofOfAddress.documentType (e.g. UTILITY_BILL, ELECTRICITY_BILL, BANK_STATEMENT). Unknown when null."},
		fPOADaysSinceIssue:        {Name: "veriff.poa.days_since_issue", Kind: engine.Number, Description: "Days from the proof-of-address document's issue date, proofOfAddress.issueDate, to the evaluation day (negative if issued in the future)." + vAsOf + " Unknown without an issue date."},
		fPOAFraudRiskLevel:        {Name: "veriff.poa.fraud_risk_level", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{"HIGH_RISK", "MEDIUM_RISK"}, Values: riskLevelValues, Description: "Document-integrity risk of the proof of address, proofOfAddress.fraud.riskLevel. Unknown when fraud validation is off or did not run."},
		fPOAFraudReason:           {Name: "veriff.poa.fraud_reason", Kind: engine.String, Description: "Short reason behind the proof-of-address fraud risk level, proofOfAddress.fraud.reason (e.g. PDF_PROCESSED_BY_EDITOR). Unknown when null."},
		fPOAFraudIndicators:       {Name: "veriff.poa.fraud_indicators", Kind: engine.List, Polarity: engine.AdverseNonEmpty, Description: "Factors behind the proof-of-address fraud risk, proofOfAddress.fraud.indicators. Empty when Veriff listed none; unknown without a fraud object."},
		fPOAAddressType:           {Name: "veriff.poa.address_type", Kind: engine.String, Values: addressTypeValues, Description: "Kind of premises at the proof-of-address address, proofOfAddress.addressValidationResult.addressType. Unknown when null or address validation is off."},
		fPOACountryExists:         {Name: "veriff.poa.country_exists", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether address validation could verify the address's country, proofOfAddress.addressValidationResult.validations.countryExists.result: success true, failure false, skipped unknown."},
		fPOAAddressMatch:          {Name: "veriff.poa.address_match", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the proof-of-address address matches the session's address by Veriff's threshold, addressMatching.result (inside proofOfAddress or beside it). Unknown when address matching is off."},
		fPOAAddressMatchPct:       {Name: "veriff.poa.address_match_pct", Kind: engine.Number, Polarity: engine.LowerWorse, Description: "Similarity of the two addresses, addressMatching.matchPercentage, 0 to 100. Unknown when address matching is off."},
		fPOAAddressMatchThreshold: {Name: "veriff.poa.address_match_threshold", Kind: engine.Number, Description: "Configured address-matching threshold in percent, addressMatching.matchThreshold. Unknown when address matching is off."},

		fDBFirstNameMatch: {Name: "veriff.db.first_name_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: dbAdverse, Values: dbMatchValues, Description: "First name against the database registries (US Database Verification)." + vDB},
		fDBLastNameMatch:  {Name: "veriff.db.last_name_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: dbAdverse, Values: dbMatchValues, Description: "Last name against the database registries." + vDB},
		fDBDOBMatch:       {Name: "veriff.db.dob_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: dbAdverse, Values: dbMatchValues, Description: "Date of birth against the database registries." + vDB},
		fDBAddressMatch:   {Name: "veriff.db.address_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: dbAdverse, Values: dbMatchValues, Description: "Street address against the database registries." + vDB},
		fDBCityMatch:      {Name: "veriff.db.city_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: dbAdverse, Values: dbMatchValues, Description: "City against the database registries." + vDB},
		fDBStateMatch:     {Name: "veriff.db.state_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: dbAdverse, Values: dbMatchValues, Description: "State against the database registries." + vDB},
		fDBZipMatch:       {Name: "veriff.db.zip_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: dbAdverse, Values: dbMatchValues, Description: "ZIP / post code against the database registries." + vDB},
		fDBIDNumberMatch:  {Name: "veriff.db.id_number_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: dbAdverse, Values: dbMatchValues, Description: "Identity or SSN number against the database registries." + vDB},
		fDBPhoneMatch:     {Name: "veriff.db.phone_match", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: dbAdverse, Values: dbMatchValues, Description: "Phone number against the database registries." + vDB},
		fDBRegistries:     {Name: "veriff.db.registries", Kind: engine.List, Description: "Names of the registries checked, additionalVerifiedData.validationResults[].registryName (e.g. \"USA - Credit + US Identity Graph (US15)\"). Empty when validationResults is an empty list; unknown when absent."},

		fCODocumentValid:      {Name: "veriff.co_registry.document_valid", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the document is valid in the Colombian registry, registryValidation.documentValid. Unknown when the registry check is off."},
		fCOPersonAlive:        {Name: "veriff.co_registry.person_alive", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the person is alive according to the Colombian registry, registryValidation.personIsAlive. Unknown when the registry check is off."},
		fCOFullNameSimilarity: {Name: "veriff.co_registry.full_name_similarity", Kind: engine.Number, Polarity: engine.LowerWorse, Description: "Similarity of the registry's full name to the document's, registryValidation.fullNameSimilarity, 0 to 100. Unknown when absent."},
		fCORegistryName:       {Name: "veriff.co_registry.registry_name", Kind: engine.String, Description: "Name of the registry consulted, registryValidation.registryName (e.g. resigo). Unknown when absent."},
		fCOCountry:            {Name: "veriff.co_registry.country", Kind: engine.String, Description: "Country of the registry, registryValidation.countryRegistry, ISO 3166-1 alpha-2 (CO). Unknown when absent."},

		fBRFirstNameMatch: {Name: "veriff.br_biometric.first_name_match", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "First name match in the Brazilian CPF biometric registry, biometricRegistryValidationResults.BR.isFirstNameMatch. Unknown when null (validation off or not completed)."},
		fBRLastNameMatch:  {Name: "veriff.br_biometric.last_name_match", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Last name match in the Brazilian CPF biometric registry, biometricRegistryValidationResults.BR.isLastNameMatch. Unknown when null."},
		fBRDOBMatch:       {Name: "veriff.br_biometric.dob_match", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Date-of-birth match in the Brazilian CPF biometric registry, biometricRegistryValidationResults.BR.isDobMatch. Unknown when null."},
		fBRFaceMatch:      {Name: "veriff.br_biometric.face_match", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Face match against the Brazilian CPF biometric registry photo, biometricRegistryValidationResults.BR.isFaceMatch. Unknown when null (no selfie or not completed)."},

		fCPFStatus:    {Name: "veriff.cpf.status", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: cpfStatusValues[1:], Values: cpfStatusValues, Description: "Status of the CPF entry in the Brazilian taxpayer registry, cpfValidation.status (\"CPF is cancelled\" is a duplicate entry, \"Cancelled craft\" a cancellation for other reasons). Unknown when null."},
		fCPFValidated: {Name: "veriff.cpf.validated", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "True when cpfValidation.status is \"CPF is validated\", false for any other reported status. Unknown when the status is null."},
		fCPFDeceased:  {Name: "veriff.cpf.deceased", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when the CPF registry reports the holder deceased (status \"CPF holder is deceased\" or a cpfValidation.dateOfDeath), false when it reports another status and no date of death. Unknown when neither is reported."},

		fCadProcessed:     {Name: "veriff.cadastro.processed", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the Cadastro Único registry request was processed, cadastroUnico.validations.processing." + vResult},
		fCadUserDataValid: {Name: "veriff.cadastro.user_data_valid", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the CPF number and date of birth sent had a valid format, cadastroUnico.validations.isUserDataValid." + vResult},
		fCadBenefits:      {Name: "veriff.cadastro.benefits", Kind: engine.List, Description: "Brazilian social programs the person benefits from: each cadastroUnico.validations.isNot<Program>Beneficiary whose result is failure (failure means the person IS a beneficiary), named bcp, bolsa_familia, seguro_defeso, cadastro_unico, auxilio_emergencial. Empty when every reported check succeeded; unknown when none reported success or failure."},
		fCadIsBeneficiary: {Name: "veriff.cadastro.is_beneficiary", Kind: engine.Bool, Description: "True when any reported isNot*Beneficiary check of cadastroUnico failed (the person is a beneficiary of some program), false when all reported ones succeeded. Unknown when none reported success or failure."},

		fPBProcessed:     {Name: "veriff.probet.processed", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the Brazilian ProBet registry request was processed, proBet.validations.processing." + vResult},
		fPBUserDataValid: {Name: "veriff.probet.user_data_valid", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "Whether the user data sent to ProBet had a valid format, proBet.validations.isUserDataValid." + vResult},
		fPBOnPIA:         {Name: "veriff.probet.on_pia", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when the person IS on the betting administration (PIA) registry: proBet.validations.isNotOnPia failed, or proBet.registryResponse.piaData.isInRegistry is true; false when the validation succeeded or the record says false; conflicting when the two disagree (true is kept); unknown otherwise."},
		fPBOnProBet:      {Name: "veriff.probet.on_probet", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when the person IS on the ProBet gambling exclusion registry: proBet.validations.isNotOnProBet failed; false when it succeeded; unknown otherwise."},
		fPBAllowedToBet:  {Name: "veriff.probet.allowed_to_bet", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "ProBet's overall verdict on whether the person may bet, proBet.registryResponse.scoreData.isAllowedToBet. Unknown when absent."},
		fPBIsPEP:         {Name: "veriff.probet.is_pep", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when ProBet returned politically-exposed-person data with a name (proBet.registryResponse.pepData.name); false when registryResponse came back without it. Unknown without a registryResponse or when processing failed."},
		fPBIsArtist:      {Name: "veriff.probet.is_artist", Kind: engine.Bool, Description: "True when ProBet returned artist / public-figure data with a name or artistic name (registryResponse.artistData); false when registryResponse came back without it. Unknown as veriff.probet.is_pep."},
		fPriorDeclines: {Name: "veriff.prior_declines", Kind: engine.List, Polarity: engine.AdverseNonEmpty,
			Description: "Reason categories (see veriff.reason_category; declined when no reason code) of the case's declined Veriff decisions other than the one that decides, sorted: an older decline for fraud or tampering stays visible after a newer session approves. Empty when the other decisions declined nothing; unknown with a single decision."},
		fPBIsInfluencer: {Name: "veriff.probet.is_influencer", Kind: engine.Bool, Description: "True when ProBet returned digital-influencer data with an artistic name (registryResponse.influencerData); false when registryResponse came back without it. Unknown as veriff.probet.is_pep."},

		fDocNotYetValid:        {Name: "veriff.document.not_yet_valid", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "True when the evaluation day is before verification.document.validFrom (the document is valid from that day on), false otherwise." + vAsOf + " Read as veriff.document.valid_until; unknown without validFrom, unreadable when it is sent but is no date."},
		fDocSecurityRisk:       {Name: "veriff.document.has_security_risk", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "Document Insights: verification.document.specimen.hasSecurityRisk, the document template has properties that make tampering more likely. Unknown unless Document Insights is on; unreadable when not a bool."},
		fDocTemporaryEmergency: {Name: "veriff.document.temporary_emergency", Kind: engine.Bool, Polarity: engine.AdverseTrue, Description: "Document Insights: verification.document.specimen.temporaryEmergencyDocument, the document is a temporary identity document. Unknown unless Document Insights is on; unreadable when not a bool."},
		fDocLegalStatus:        {Name: "veriff.document.legal_status", Kind: engine.String, Polarity: engine.AdverseValues, Adverse: []string{"secondary", "tertiary"}, Values: legalStatusValues, Description: "Document Insights: verification.document.specimen.legalStatus, how far the document is accepted as legal proof of identity in its country: primary, secondary or tertiary (the last two are weaker proof). Unknown when null or Document Insights is off; unreadable when undocumented."},
		fDocNFCValidated:       {Name: "veriff.document.nfc_validated", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "verification.document.nfcValidated: the document chip's biometric data was decoded. Unknown unless NFC validation is on; unreadable when not a bool."},
		fDocPortraitVisible:    {Name: "veriff.document.portrait_visible", Kind: engine.Bool, Polarity: engine.AdverseFalse, Description: "verification.document.portraitIsVisible: the portrait is visible and good enough to verify. Unknown unless the check is on; unreadable when not a bool."},
		fRiskLabelGroups: {Name: "veriff.risk_label_groups", Kind: engine.List, Polarity: engine.AdverseNonEmpty,
			Description: "Our groups of the risk labels, sorted, so that a policy can act by kind: fraud_crosslink (a label linking the session to a session or document Veriff found fraudulent: its name contains crosslinked_with_ and fraud, tampering, suspicious, velocity_abuse, declines or photo_mismatch, e.g. document_crosslinked_with_fraud), crosslink (any other crosslink: category crosslinks or crosslinked in the name), document (category document, or document in the name, e.g. potentially_fraudulent_document), device (categories device and network: emulators, VPNs), person (categories person, images and client_data_mismatch: the person, the selfie, the data sent), session (categories session and risk-score) and other (none of these). A label may be in several groups. Empty, unknown or unreadable as veriff.risk_labels."},
	}
}()
