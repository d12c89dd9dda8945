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
	for _, h := range d.RemovedTokens {
		if _, ok := next.tokens[h[0]][h]; ok {
			delete(copied.tokens(&next, h[0]), h)
		}
	}
	for _, h := range d.RemovedLinks {
		if _, ok := next.links[h[0]][h]; ok {
			delete(copied.links(&next, h[0]), h)
		}
	}
	for i := range d.Workflows {
		w := &d.Workflows[i]
		key := model.NameKey(w.Name)
		copied.workflows(&next, workflowShard(key))[key] = w
	}
	for i := range d.Tokens {
		k := &d.Tokens[i]
		copied.tokens(&next, k.Hash[0])[k.Hash] = newTokenEntry(k, k.ID+k.UserID)
	}
	for _, l := range d.Links {
		copied.links(&next, l.Hash[0])[l.Hash] = newLinkEntry(l)
	}
	if d.PrefixesChanged {
		next.prefixes = d.Prefixes
	}
	return &next
}

// shardsCopied records which shards of a snapshot being built are its own
// copies, which it may write, rather than shared with its predecessor.
type shardsCopied struct {
	workflowShards, tokenShards, linkShards [shardCount]bool
}

func (c *shardsCopied) workflows(s *snapshot, i uint8) map[string]*model.Workflow {
	return ownShard(&s.workflows[i], &c.workflowShards[i])
}

func (c *shardsCopied) tokens(s *snapshot, i uint8) map[model.TokenHash]tokenEntry {
	return ownShard(&s.tokens[i], &c.tokenShards[i])
}

func (c *shardsCopied) links(s *snapshot, i uint8) map[model.TokenHash]linkEntry {
	return ownShard(&s.links[i], &c.linkShards[i])
}

// ownShard makes *shard the snapshot's own copy the first time it is
// written, and returns it.
func ownShard[K comparable, V any](shard *map[K]V, copied *bool) map[K]V {
	if !*copied {
		if *shard == nil {
			*shard = map[K]V{}
		} else {
			*shard = maps.Clone(*shard)
		}
		*copied = true
	}
	return *shard
}

// deltaSize counts what a delta removes and adds, for the log.
func deltaSize(d store.Delta) (removed, added int) {
	removed = len(d.RemovedWorkflows) + len(d.RemovedTokens) + len(d.RemovedLinks)
	added = len(d.Workflows) + len(d.Tokens) + len(d.Links)
	return removed, added
}
