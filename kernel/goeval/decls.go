package goeval

// userDecl is a top-level declaration of the user's, for completion and
// inspection.
type userDecl struct {
	name, kind, signature, doc string
}

func (ip *Interp) recordDecls(parts []compiled) {}
