package store

import "context"

// Who made a change travels in the context rather than as one more
// parameter of every writing method: the CLI or the editor sets it once
// (store.WithActor(ctx, "alice")) and every write below it is attributed,
// without widening the API each time a new kind of write appears.
type (
	actorKey  struct{}
	sourceKey struct{}
)

// WithActor returns a context whose writes are recorded in the change trail
// as made by actor (a person or a machine account, for example the OS user
// who ran the CLI). Without it the actor is empty: unknown.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
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

// sourceFrom reads the source set by WithSource, or SourceCLI.
func sourceFrom(ctx context.Context) Source {
	if s, ok := ctx.Value(sourceKey{}).(Source); ok {
		return s
	}
	return SourceCLI
}

// maxActorLength bounds the actor recorded with each change.
const maxActorLength = 100
