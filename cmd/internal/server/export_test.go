package server

// MarshalDecision is marshalDecision, for the benchmarks.
var MarshalDecision = marshalDecision
