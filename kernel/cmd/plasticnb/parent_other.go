//go:build !unix

package main

import (
	"context"
	"log"
)

// parent is unknown off Unix: the kernel does not watch it.
type parent struct{}

func parentOf() parent { return parent{} }

func watchParent(context.Context, parent, context.CancelFunc, *log.Logger) {}
