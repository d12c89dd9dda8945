package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestExposureOf(t *testing.T) {
	for state, want := range map[string]Exposure{
		"scheduled none POST": ExposureScheduled, "scheduled admin GET": ExposureScheduled,
		"public none POST": ExposureOpen, "public user POST": ExposureUsers, "public admin GET": ExposureAdmins,
	} {
		assert.Equal(t, want, ExposureOf(*workflowFor(t, state)), state)
	}
}
