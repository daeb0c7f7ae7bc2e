package server

// Routes returns the "METHOD PATH" of every route of s's main listener,
// from the table its mux is built from.
func Routes(s *Server) []string {
	var out []string
	for _, r := range s.table() {
		out = append(out, r.method+" "+r.path)
	}
	return out
}
