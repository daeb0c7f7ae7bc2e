package preventor

import "github.com/veredicto/veredicto/engine"

// Local fact indexes.
const (
	fFlowStatus = iota
	fCompleted
	fAccepted
	fDisposition
	fRemainingAttempts
	fRiskCode
	fConfidenceScore
	fEvents
	fAnyStepFailed
	fLivenessPassed
	fLivenessDisposition
	fLivenessRetries
	fLivenessMessages
	fFacialPassed
	fFacialConfidence
	fFacialAgeMin
	fFacialAgeMax
	fDocumentDetected
	fIDPassed
	fIDDisposition
	fIDRetries
	fIDGeneralStatus
	fIDFailedChecks
	fIDUnverifiedChecks
	fIDExpiryValid
	fPhotoPassed
	fPhotoSimilarity
	numFacts
)

// The documented words.
var (
	flowValues        = []string{"IN_PROGRESS", "ACCEPTED", "REJECTED"}
	dispositionValues = []string{"PASSED", "FAILED", "RETRY"}
	riskValues        = []string{"LOW", "MEDIUM", "HIGH"}
	validationValues  = []string{"VALID", "NON_VALIDATED_OR_ABSENT", "INVALID"}
)

// Polarity shorthands.
const (
	info         = engine.Informational
	adverseFalse = engine.AdverseFalse
	adverseTrue  = engine.AdverseTrue
	lowerWorse   = engine.LowerWorse
	higherWorse  = engine.HigherWorse
)

func spec(n string, k engine.Kind, p engine.Polarity, desc string) engine.FactSpec {
	return engine.FactSpec{Name: n, Kind: k, Provider: name, Polarity: p, Description: desc}
}

// words is spec for an enumerated fact whose adverse values are given.
func words(n string, values, adverse []string, desc string) engine.FactSpec {
	s := spec(n, engine.String, engine.AdverseValues, desc)
	s.Values, s.Adverse = values, adverse
	return s
}

// Every fact follows the evidence rules of the package comment: a present
// value that cannot be read (wrong type, an empty or undocumented word, a
// number out of range) leaves the fact unknown and marks it unreadable with
// the field and byte offset; values that disagree across the ticket's events
// make it conflicting and keep the adverse side; fields of one event that
// contradict each other mark the facts they feed conflicting.
var facts = [...]engine.FactSpec{
	fFlowStatus: words("preventor.flow_status", flowValues, []string{"IN_PROGRESS", "REJECTED"},
		"State of the ticket's flow (flow_status): from the completed events when one was received, else IN_PROGRESS from the in_progress events. Adverse: REJECTED, and IN_PROGRESS (the flow has not ended, so nothing was accepted; the same as preventor.completed false). Unreadable for another type or word; conflicting when completed events disagree (REJECTED kept), when a completed event says IN_PROGRESS or an in_progress event says ACCEPTED or REJECTED (that word is kept), and when ACCEPTED comes with disposition FAILED."),
	fCompleted: spec("preventor.completed", engine.Bool, adverseFalse,
		"Whether a ticket.verification.completed event was received for the ticket; false when only in_progress events were received (adverse: the flow has no final answer yet). Unknown only when no Preventor payload was received."),
	fAccepted: spec("preventor.accepted", engine.Bool, adverseFalse,
		"Whether the completed event's flow_status is ACCEPTED (false when REJECTED). Unknown when no completed event was received; unreadable when its flow_status is unreadable, or the accepting event's disposition is; conflicting (false kept) when completed events disagree, and conflicting when a completed event says IN_PROGRESS, or the accepting event says disposition FAILED or RETRY, or when any step of the ticket FAILED (preventor.any_step_failed) or a sub-process reported status false in an event that counts (a FAILED step cannot be retried, so the flow cannot be accepted)."),
	fDisposition: words("preventor.disposition", dispositionValues, []string{"FAILED", "RETRY"},
		"State of the last executed step (disposition). With completed events: theirs (PASSED or FAILED; conflicting when they disagree, FAILED kept, or when a completed event says RETRY). Without: the worst step of the in_progress events (FAILED, else RETRY for a step with no attempt that ended, else PASSED), found without ordering events by arrival; conflicting when a step is. Adverse: FAILED and RETRY (an attempt was unacceptable and none has passed yet). Unreadable for another type or word."),
	fRemainingAttempts: spec("preventor.remaining_attempts", engine.Number, info,
		"Attempts the applicant has left (remaining_attempts, a whole count >= 0): from the completed events when received (conflicting when they disagree), otherwise the fewest reported by an in_progress event. Unreadable when any event's remaining_attempts is not a whole count >= 0. Informational: the outcome facts carry the adverse side."),
	fRiskCode: words("preventor.risk_code", riskValues, []string{"MEDIUM", "HIGH"},
		"Risk of the whole flow (risk_code of the completed events), upper-cased (read without regard to case). Adverse: HIGH and MEDIUM (elevated risk; the policy decides how much it weighs). Unreadable for another type or a code outside LOW, MEDIUM, HIGH; conflicting when completed events disagree (the adverse code kept). Unknown when not reported."),
	fConfidenceScore: spec("preventor.confidence_score", engine.Number, lowerWorse,
		"Confidence of the whole flow, 0..100 (confidence_score of the completed events, a number or a numeric string); it decides ACCEPTED or REJECTED against a threshold that each client configures (none is documented, so there is no limit). Worse when lower; unreadable when not a number or outside 0..100; conflicting when completed events disagree (the lowest kept)."),
	fEvents: spec("preventor.events", engine.Number, info,
		"Number of Preventor payloads received for the ticket, identical re-deliveries included (they count here, but every other fact reads them once)."),
	fAnyStepFailed: spec("preventor.any_step_failed", engine.Bool, adverseTrue,
		"Whether an in_progress event of the ticket reported disposition FAILED (a step whose result was unacceptable with no retries left), whatever came after it; false when in_progress events were received and none FAILED. A RETRY followed by a pass is not a failure: see preventor.liveness.retries. Unreadable when an in_progress disposition is unreadable; unknown when no in_progress event was received."),
	fLivenessPassed: spec("preventor.liveness.passed", engine.Bool, adverseFalse,
		"Whether liveness detection passed (data.liveness_detection.status) in the liveness attempt that counts: the ended attempts (disposition PASSED or FAILED), else the latest RETRY attempt by Preventor's remaining_attempts counter. Unknown when not reported or null; unreadable for another type or when liveness_detection is not an object; conflicting when ended attempts disagree (false kept), or when it is false in an event whose disposition is PASSED."),
	fLivenessDisposition: words("preventor.liveness.disposition", dispositionValues, []string{"FAILED", "RETRY"},
		"Outcome of the liveness step (verification.liveness events): FAILED when an attempt FAILED, else PASSED when one PASSED (RETRY attempts before it are counted in preventor.liveness.retries), else RETRY. Adverse: FAILED and RETRY. Conflicting (FAILED kept) when the step both PASSED and FAILED, or when a PASSED event reports a failed sub-process; unreadable for another type or word. Unknown when no liveness event was received."),
	fLivenessRetries: spec("preventor.liveness.retries", engine.Number, higherWorse,
		"Number of liveness attempts that ended in RETRY (told apart by remaining_attempts; re-deliveries count once), so that a policy can tell \"failed, then passed on a retry\" (retries > 0 and disposition PASSED) from a failure. 0 when liveness events were received without a RETRY; unknown when none was received; unreadable when a RETRY event's remaining_attempts is unreadable. Worse when higher, with no documented limit."),
	fLivenessMessages: spec("preventor.liveness.messages", engine.List, info,
		"Liveness validation messages (data.liveness_detection.validation_messages of the attempt that counts), e.g. \"Liveness detected\". Unknown when not reported or null; empty when reported empty; unreadable when not an array of strings (the strings are kept). Informational: free text that explains preventor.liveness.passed."),
	fFacialPassed: spec("preventor.facial_analysis.passed", engine.Bool, adverseFalse,
		"Whether facial analysis passed (data.facial_analysis.status of the liveness attempt that counts). Unknown when not reported or null; unreadable and conflicting as preventor.liveness.passed."),
	fFacialConfidence: spec("preventor.facial_analysis.confidence", engine.Number, lowerWorse,
		"Facial-analysis confidence, 0..100 (data.facial_analysis.confidence_score, a string or a number). Worse when lower, no documented limit. Unknown when not reported or null; unreadable when not a number or outside 0..100; conflicting when ended attempts disagree (the lowest kept)."),
	fFacialAgeMin: spec("preventor.facial_analysis.age_min", engine.Number, info,
		"Lower bound in years of the estimated age (data.facial_analysis.age_range, \"22-30\" gives 22). Unknown when not reported; unreadable when age_range is not a range of ages 0..150. Informational: compared with the document by the policy, not adverse by itself."),
	fFacialAgeMax: spec("preventor.facial_analysis.age_max", engine.Number, info,
		"Upper bound in years of the estimated age (data.facial_analysis.age_range, \"22-30\" gives 30). Unknown when not reported or open-ended (\"60+\"); unreadable as age_min. Informational."),
	fDocumentDetected: spec("preventor.document.detected", engine.Bool, adverseFalse,
		"Whether an identity document was detected (data.document_detection.status of the ID-proofing attempt that counts). Unknown when not reported or null; unreadable and conflicting as preventor.liveness.passed."),
	fIDPassed: spec("preventor.id_proofing.passed", engine.Bool, adverseFalse,
		"Whether ID proofing of the document passed (data.id_proofing.status of the ID-proofing attempt that counts). Unknown when not reported or null; unreadable and conflicting as preventor.liveness.passed, and conflicting when true beside validations.general_status INVALID."),
	fIDDisposition: words("preventor.id_proofing.disposition", dispositionValues, []string{"FAILED", "RETRY"},
		"Outcome of the ID-proofing step (verification.id_proofing events), read as preventor.liveness.disposition: adverse FAILED and RETRY; conflicting when the step both PASSED and FAILED or a PASSED event reports a failed sub-process; unreadable for another type or word."),
	fIDRetries: spec("preventor.id_proofing.retries", engine.Number, higherWorse,
		"Number of ID-proofing attempts that ended in RETRY, read as preventor.liveness.retries: told apart by remaining_attempts, 0 without a RETRY, unknown without an ID-proofing event, unreadable when a RETRY event's remaining_attempts is unreadable. Worse when higher, no documented limit."),
	fIDGeneralStatus: words("preventor.id_proofing.general_status", validationValues, []string{"INVALID"},
		"Overall result of the document validations (data.id_proofing.validations.general_status). Adverse: INVALID. Unknown when not reported; unreadable for another type or word (an empty one included); conflicting when attempts that count disagree, or when INVALID in an event whose disposition is PASSED."),
	fIDFailedChecks: spec("preventor.id_proofing.failed_checks", engine.List, engine.AdverseNonEmpty,
		"Names of the document validations (keys of data.id_proofing.validations, general_status included) reported INVALID, e.g. [security, document_expiry]; attempts that count add up. Empty when none is INVALID; unknown when validations were not reported; unreadable (keeping the names read) when a validation is not a string or not a documented word (VALID, NON_VALIDATED_OR_ABSENT, INVALID), or validations is not an object."),
	fIDUnverifiedChecks: spec("preventor.id_proofing.unverified_checks", engine.List, info,
		"Names of the document validations reported NON_VALIDATED_OR_ABSENT (not run or not applicable, e.g. rfid on a card without a chip), in document order. Unknown when validations were not reported; unreadable as failed_checks; conflicting when attempts that count disagree. Informational: a check that was not run is not evidence against the applicant."),
	fIDExpiryValid: spec("preventor.id_proofing.document_expiry_valid", engine.Bool, adverseFalse,
		"Whether the document is not expired (validations.document_expiry VALID; false for INVALID). Unknown when not reported or NON_VALIDATED_OR_ABSENT; unreadable for another type or word; conflicting when attempts that count disagree (false kept)."),
	fPhotoPassed: spec("preventor.photo_matching.passed", engine.Bool, adverseFalse,
		"Whether the selfie matched the document photo (data.photo_matching.status of the ID-proofing attempt that counts). Unknown when not reported or null; unreadable and conflicting as preventor.liveness.passed."),
	fPhotoSimilarity: spec("preventor.photo_matching.similarity", engine.Number, lowerWorse,
		"Similarity of selfie and document photo, 0..100 (data.photo_matching.similarity_score, a string or a number). Worse when lower, no documented limit. Unknown when not reported or null; unreadable when not a number or outside 0..100; conflicting when attempts that count disagree (the lowest kept)."),
}
