package checker

import (
	"maps"

	"flowgate/model"
	"flowgate/store"
)

// applyDelta returns the snapshot that s becomes with the changes of d
// (which must start at s's generation and not be Full): removals first,
// then additions, so that a key removed and added back in one delta (a
// token's scope changed, a name given up and taken by another workflow)
// ends up as the store holds it. s is not modified: the result shares
// every shard that d does not touch, and copies the others once.
func (s *snapshot) applyDelta(d store.Delta) *snapshot {
	next := *s
	next.generation = d.Generation
	var copied shardsCopied
	for _, name := range d.RemovedWorkflows {
		key := model.NameKey(name)
		i := workflowShard(key)
		if _, ok := next.workflows[i][key]; ok {
			delete(copied.workflows(&next, i), key)
		}
	}
	for i := range d.Workflows {
		w := &d.Workflows[i]
		key := model.NameKey(w.Name)
		copied.workflows(&next, workflowShard(key))[key] = w
	}
	tokens := make([]hashed[tokenEntry], len(d.Tokens))
	for i := range d.Tokens {
		k := &d.Tokens[i]
		tokens[i] = hashed[tokenEntry]{hash: k.Hash, value: newTokenEntry(k, k.ID+k.UserID)}
	}
	next.tokens = s.tokens.with(d.RemovedTokens, tokens)
	links := make([]hashed[linkEntry], len(d.Links))
	for i, l := range d.Links {
		links[i] = hashed[linkEntry]{hash: l.Hash, value: newLinkEntry(l)}
	}
	next.links = s.links.with(d.RemovedLinks, links)
	if d.PrefixesChanged {
		next.prefixes = d.Prefixes
	}
	return &next
}

// shardsCopied records which workflow shards of a snapshot being built are
// its own copies, which it may write, rather than shared with its
// predecessor.
type shardsCopied [shardCount]bool

// workflows makes shard i of s's workflows its own copy the first time it
// is written, and returns it.
func (c *shardsCopied) workflows(s *snapshot, i uint8) map[string]*model.Workflow {
	if !c[i] {
		s.workflows[i] = maps.Clone(s.workflows[i])
		if s.workflows[i] == nil {
			s.workflows[i] = map[string]*model.Workflow{}
		}
		c[i] = true
	}
	return s.workflows[i]
}

// deltaSize counts what a delta removes and adds, for the log.
func deltaSize(d store.Delta) (removed, added int) {
	removed = len(d.RemovedWorkflows) + len(d.RemovedTokens) + len(d.RemovedLinks)
	added = len(d.Workflows) + len(d.Tokens) + len(d.Links)
	return removed, added
}
