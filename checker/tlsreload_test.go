package checker

import (
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/testcert"
)

// servedCertificate is the common name of the certificate addr presents to
// a client that trusts pool.
func servedCertificate(t *testing.T, addr string, pool *x509.CertPool) string {
	t.Helper()
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, ServerName: "localhost"})
	require.NoError(t, err)
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0].Subject.CommonName
}

func TestRenewedCertificateIsServedWithoutRestart(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, first := testcert.Write(t, dir, "first")
	var logs syncBuffer
	certs, err := NewCertReloader(certFile, keyFile, slog.New(slog.NewTextHandler(&logs, nil)))
	require.NoError(t, err)
	certs.interval = 0 // look at the files on every handshake
	ln, err := tls.Listen("tcp", "127.0.0.1:0", certs.TLSConfig())
	require.NoError(t, err)
	srv := NewHTTPServer(http.NotFoundHandler(), nil, Limits{})
	go srv.Serve(ln)
	defer srv.Close()
	addr := ln.Addr().String()
	pool := testcert.Pool(first)
	assert.Equal(t, "first", servedCertificate(t, addr, pool))

	// A renewal caught half-done: the old pair stays in use.
	keep, err := os.ReadFile(certFile)
	require.NoError(t, err)
	testcert.Replace(t, certFile, []byte("-----BEGIN CERTIFICATE-----\ngarbage\n"))
	assert.Equal(t, "first", servedCertificate(t, addr, pool))
	assert.Contains(t, logs.String(), "certificate reload failed")
	testcert.Replace(t, certFile, keep)

	_, _, second := testcert.Write(t, dir, "second")
	pool.AddCert(second)
	assert.Equal(t, "second", servedCertificate(t, addr, pool))
	assert.Contains(t, logs.String(), "certificate reloaded")
}

func TestABadCertificatePairIsRefusedAtStart(t *testing.T) {
	certFile, _, _ := testcert.Write(t, t.TempDir(), "a")
	_, otherKey, _ := testcert.Write(t, t.TempDir(), "b")
	_, err := NewCertReloader(certFile, otherKey, nil)
	assert.ErrorContains(t, err, "cannot load", "a key that does not match")
	_, err = NewCertReloader(filepath.Join(t.TempDir(), "missing.pem"), otherKey, nil)
	assert.ErrorContains(t, err, "missing.pem")
}
