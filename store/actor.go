package store

import "context"

// Who made a change travels in the context rather than as one more
// parameter of every writing method: the CLI or the editor sets it once
// (store.WithActor(ctx, "alice")) and every write below it is attributed,
// without widening the API each time a new kind of write appears.
type (
	actorKey  struct{}
	osUserKey struct{}
	sourceKey struct{}
)

// WithActor returns a context whose writes are recorded in the change trail
// as made by actor: the name the person or machine account gave (the CLI's
// --by, $FLOWGATE_USER, else the OS user). Without it the actor is empty:
// unknown.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// WithOSUser returns a context whose writes are recorded as made under the
// operating-system account osUser. The actor is self-asserted (anyone can
// type --by alice); the account that ran the process is kept beside it so
// that a reviewer can tell the two apart. Without it os_user is empty.
func WithOSUser(ctx context.Context, osUser string) context.Context {
	return context.WithValue(ctx, osUserKey{}, osUser)
}

// WithSource returns a context whose writes made through methods without a
// Source parameter (tokens, prefixes, links) are recorded as coming from
// src. Without it they are recorded as SourceCLI, the usual writer of
// those; the editor sets SourceEditor. InTx's explicit Source wins.
func WithSource(ctx context.Context, src Source) context.Context {
	return context.WithValue(ctx, sourceKey{}, src)
}

// actorFrom reads the actor set by WithActor, or "".
func actorFrom(ctx context.Context) string {
	a, _ := ctx.Value(actorKey{}).(string)
	return a
}

// osUserFrom reads the account set by WithOSUser, or "".
func osUserFrom(ctx context.Context) string {
	u, _ := ctx.Value(osUserKey{}).(string)
	return u
}

// sourceFrom reads the source set by WithSource, or SourceCLI.
func sourceFrom(ctx context.Context) Source {
	if s, ok := ctx.Value(sourceKey{}).(Source); ok {
		return s
	}
	return SourceCLI
}

// maxActorLength bounds the actor recorded with each change.
const maxActorLength = 100

// ValidateActor checks a name given for the change trail (the CLI's --by or
// $FLOWGATE_USER) as every write will, so that a bad one is refused before
// anything runs rather than at the first write.
func ValidateActor(name string) error {
	return validateLabel("name", name, maxActorLength)
}
