// Package engine holds what every other veredicto package shares: typed fact
// values, the fact catalog, the per-case fact set that normalizers fill, the
// compiled policy and its evaluation into an explained decision.
//
// The engine knows nothing about providers or YAML. Normalizers (package
// normalizers and its sub-packages) write facts through a Sink; package rules
// compiles a YAML policy into a *Policy; Policy.Evaluate turns a *Facts into a
// Decision. A compiled Policy is immutable and safe for concurrent use.
//
// A fact that no provider reported is unknown. Unknown is a value of its own:
// expressions follow three-valued (Kleene) logic, so "unknown or true" is true
// but "unknown and true" is unknown, and a rule whose condition is unknown is
// reported as indeterminate rather than silently not firing.
package engine
