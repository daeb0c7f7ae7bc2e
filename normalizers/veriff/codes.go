package veriff

import "strings"

// Decision statuses (verification.status).
const (
	stApproved     = "approved"
	stDeclined     = "declined"
	stResubmission = "resubmission_requested"
	stExpired      = "expired"
	stAbandoned    = "abandoned"
	stReview       = "review"
)

var statusValues = []string{stApproved, stDeclined, stResubmission, stExpired, stAbandoned, stReview}

// codeStatus returns the status a decision code implies and a second status
// Veriff's own tables also attach to it ("" when none), or ok=false for a
// code that is not a documented decision code.
//
// Veriff's tables disagree: the decision API page says 9104 expired and 9121
// abandoned, the session status-code table says abandoned 9104 and review
// 9121. The first table is the one this payload documents, so it gives the
// implied status; the other reading is still accepted as consistent.
func codeStatus(code int) (implied, alt string, ok bool) {
	switch code {
	case 9001:
		return stApproved, "", true
	case 9102:
		return stDeclined, "", true
	case 9103:
		return stResubmission, "", true
	case 9104:
		return stExpired, stAbandoned, true
	case 9121:
		return stAbandoned, stReview, true
	}
	return "", "", false
}

// Reason groups: the hundreds of a reason code say whether Veriff declined
// (1xx, 5xx) or asks for a new attempt (2xx, 6xx).
const (
	grDecline      = "decline"
	grResubmission = "resubmission"
	grOther        = "other"
)

var groupValues = []string{grDecline, grResubmission, grOther}

func reasonGroup(code int) string {
	switch code / 100 {
	case 1, 5:
		return grDecline
	case 2, 6:
		return grResubmission
	}
	return grOther
}

// Reason categories: our own grouping of Veriff's granular reason codes, so
// that a policy can say "any kind of face mismatch" without listing codes.
const (
	catDocumentTampering    = "document_tampering"
	catSpoofing             = "spoofing"
	catFaceMismatch         = "face_mismatch"
	catDataMismatch         = "data_mismatch"
	catSuspiciousBehaviour  = "suspicious_behaviour"
	catKnownFraud           = "known_fraud"
	catDuplicate            = "duplicate"
	catRestrictedLocation   = "restricted_location"
	catReferenceMissing     = "reference_missing"
	catRegistryCheck        = "registry_check"
	catPEP                  = "pep"
	catUnderage             = "underage"
	catDocumentExpired      = "document_expired"
	catDocumentNotSupported = "document_not_supported"
	catDocumentDamaged      = "document_damaged"
	catImageQuality         = "image_quality"
	catMissingMedia         = "missing_media"
	catDataNotReadable      = "data_not_readable"
	catProofOfAddress       = "proof_of_address"
	catResubmissionLimit    = "resubmission_limit"
	catOther                = "other"
)

var categoryValues = []string{
	catDocumentTampering, catSpoofing, catFaceMismatch, catDataMismatch,
	catSuspiciousBehaviour, catKnownFraud, catDuplicate, catRestrictedLocation,
	catReferenceMissing, catRegistryCheck, catPEP, catUnderage,
	catDocumentExpired, catDocumentNotSupported, catDocumentDamaged,
	catImageQuality, catMissingMedia, catDataNotReadable, catProofOfAddress,
	catResubmissionLimit, catOther,
}

// reasonCategory maps a granular reason code to its category. The table
// follows Veriff's decision and granular reason-code tables; a code that is
// not in it is "other" (its group still comes from its range).
func reasonCategory(code int) string {
	switch code {
	// 1xx: declined.
	case 101: // physical document not used
		return catSpoofing
	case 102: // suspected document tampering
		return catDocumentTampering
	case 103, 120: // person / portrait does not match document or reference photo
		return catFaceMismatch
	case 104, 128: // entered name / end-user id does not match
		return catDataMismatch
	case 105, 111, 113: // suspicious behaviour, session fraudulently accessed, identity farming
		return catSuspiciousBehaviour
	case 106, 127: // known fraud, face match with blocklist
		return catKnownFraud
	case 107, 108, 109, 110, 124: // velocity/abuse: duplicated end-user, device, ID, face
		return catDuplicate
	case 112: // restricted IP location
		return catRestrictedLocation
	case 121, 122: // user id missing, no reference found
		return catReferenceMissing
	case 123: // unable to pass registry checks
		return catRegistryCheck
	case 126: // potential PEP match
		return catPEP

	// 2xx: resubmission requested.
	case 201, 208, 209: // video / photos, selfie, document photo missing
		return catMissingMedia
	case 202, 203, 204: // face not visible, full document not visible, poor image quality
		return catImageQuality
	case 205: // document damaged
		return catDocumentDamaged
	case 206: // document type not supported
		return catDocumentNotSupported
	case 207: // document expired
		return catDocumentExpired

	// 5xx: declined (granular).
	case 501, 502, 503: // high fraud probability, multiple parties, attempted deceit
		return catSuspiciousBehaviour
	case 504, 505, 515, 526: // device screen, printout, screen for face, streamed photos
		return catSpoofing
	case 506, 507, 508: // presented document tampered
		return catDocumentTampering
	case 509: // person does not match document photo
		return catFaceMismatch
	case 510: // presented document type not supported
		return catDocumentNotSupported
	case 511: // presented document expired
		return catDocumentExpired
	case 527, 528: // proof of address data missing / issue date too old
		return catProofOfAddress
	case 530, 531, 532, 533, 534, 535, 536: // under 13/14/16/18/20/21/25
		return catUnderage
	case 537: // portrait could not be cropped from the document
		return catImageQuality
	case 539: // resubmission limit exceeded
		return catResubmissionLimit

	// 6xx: resubmission requested (granular).
	case 602: // presented document type not supported
		return catDocumentNotSupported
	case 603, 605, 608, 609, 635: // video, face image, document front / back, document and face missing
		return catMissingMedia
	case 606, 614, 615, 619, 645: // face or document not clearly visible / in frame, poor quality
		return catImageQuality
	case 620: // presented document expired
		return catDocumentExpired
	case 621: // document annulled or damaged
		return catDocumentDamaged
	case 625, 626, 627, 628, 629, 630, 631, 632, 633, 634: // unable to read a data field
		return catDataNotReadable
	case 636, 637: // document not real: screen or printout used
		return catSpoofing
	case 641: // multiple parties present
		return catSuspiciousBehaviour
	case 642, 643: // proof of address data / issue date
		return catProofOfAddress
	}
	return catOther
}

// Match levels of the registry checks (INE, CURP matchData; US validationResults).
const (
	mMatch        = "MATCH"
	mPartialMatch = "PARTIAL_MATCH"
	mNoMatch      = "NO_MATCH"
	mInvalid      = "INVALID"
	mNoInput      = "NO_INPUT"
	mNoData       = "NO_DATA"
)

var (
	mxMatchValues = []string{mMatch, mNoMatch, mNoInput, mNoData}
	dbMatchValues = []string{mMatch, mPartialMatch, mNoMatch, mInvalid, mNoInput, mNoData}
)

// matchRank orders match levels by the strength of the evidence they carry,
// for combining several registries (an index of rankCanon): MATCH >
// PARTIAL_MATCH > NO_MATCH > INVALID > NO_DATA > NO_INPUT, 0 for an
// unrecognized level.
func matchRank(s string) int8 {
	for r := len(rankCanon) - 1; r > 0; r-- {
		if eqFold(s, rankCanon[r]) {
			return int8(r)
		}
	}
	return 0
}

var rankCanon = [...]string{"", mNoInput, mNoData, mInvalid, mNoMatch, mPartialMatch, mMatch}

// Other enumerations.
var (
	genderValues       = []string{"M", "F"}
	docTypeValues      = []string{"PASSPORT", "ID_CARD", "RESIDENCE_PERMIT", "DRIVERS_LICENSE", "VISA", "OTHER"}
	selfieMatchValues  = []string{"strong_match", "possible_match", "weak_match"}
	riskLevelValues    = []string{"HIGH_RISK", "MEDIUM_RISK", "LOW_RISK"}
	addressTypeValues  = []string{"residential", "business", "poBox"}
	responseStatValues = []string{"success", "failure"}
	cpfStatusValues    = []string{
		cpfValidated, "CPF is suspended", cpfDeceased,
		"CPF is pending regularization", "CPF is cancelled", "Cancelled craft",
	}
)

const (
	cpfValidated = "CPF is validated"
	cpfDeceased  = "CPF holder is deceased"
)

// canon returns the entry of values equal to s ignoring case, or "".
func canon(s string, values []string) string {
	for _, v := range values {
		if eqFold(s, v) {
			return v
		}
	}
	return ""
}

// eqFold is strings.EqualFold for ASCII, trimmed of surrounding blanks.
func eqFold(s, t string) bool {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := s[i], t[i]
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// Risk label categories (verification.riskLabels[].category), as documented.
var riskCategoryValues = []string{
	"client_data_mismatch", "crosslinks", "device", "document", "images",
	"network", "session", "person", "risk-score",
}

// Risk label groups (veriff.risk_label_groups).
const (
	rgFraudCrosslink = "fraud_crosslink"
	rgCrosslink      = "crosslink"
	rgDocument       = "document"
	rgDevice         = "device"
	rgPerson         = "person"
	rgSession        = "session"
	rgOther          = "other"
)

// fraudWords name, in a crosslink label, a linked session or document that
// Veriff found fraudulent (document_crosslinked_with_fraud,
// session_crosslinked_with_suspected_document_tampering, ...).
var fraudWords = [...]string{"fraud", "tampering", "suspicious", "velocity_abuse", "declines", "photo_mismatch"}

// riskGroups adds to groups the groups of one risk label, by its name and
// its documented category ("" when none).
func riskGroups(groups []string, label, category string) []string {
	var mine [4]string
	own := mine[:0]
	crosslinked := strings.Contains(label, "crosslinked")
	if strings.Contains(label, "crosslinked_with_") {
		for _, w := range fraudWords {
			if strings.Contains(label, w) {
				own = append(own, rgFraudCrosslink)
				break
			}
		}
	}
	if crosslinked || category == "crosslinks" {
		own = append(own, rgCrosslink)
	}
	if category == "document" || strings.Contains(label, "document") {
		own = append(own, rgDocument)
	}
	switch category {
	case "device", "network":
		own = append(own, rgDevice)
	case "person", "images", "client_data_mismatch":
		own = append(own, rgPerson)
	case "session", "risk-score":
		own = append(own, rgSession)
	}
	if len(own) == 0 {
		own = append(own, rgOther)
	}
	for _, g := range own {
		groups = addDistinct(groups, g)
	}
	return groups
}
