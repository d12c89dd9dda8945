package checker

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// CertCheckInterval is how often, at most, the certificate files are
// looked at for a renewal.
const CertCheckInterval = 2 * time.Second

// CertReloader serves a certificate and key from files and picks up a
// renewed pair without a restart: on a handshake, at most every
// CertCheckInterval, it compares the files' size, modification time and
// inode with the pair it loaded, and loads them again when they differ. A
// pair that fails to load (a renewal caught half-written, a key that does
// not match) is logged and the previous certificate stays in use.
type CertReloader struct {
	certFile, keyFile string
	log               *slog.Logger
	interval          time.Duration

	mu      sync.Mutex
	current *tls.Certificate
	stamp   [2]fileStamp // of the pair last tried, loaded or not
	checked time.Time
}

// fileStamp is what changes when a file is rewritten or replaced.
type fileStamp struct {
	info os.FileInfo
}

func (s fileStamp) same(t fileStamp) bool {
	return s.info != nil && t.info != nil && os.SameFile(s.info, t.info) &&
		s.info.Size() == t.info.Size() && s.info.ModTime().Equal(t.info.ModTime())
}

// NewCertReloader loads the pair once; an error names the file at fault.
func NewCertReloader(certFile, keyFile string, logger *slog.Logger) (*CertReloader, error) {
	r := &CertReloader{certFile: certFile, keyFile: keyFile, log: logger, interval: CertCheckInterval}
	stamp, err := r.stampFiles()
	if err != nil {
		return nil, err
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("cannot load %s and %s: %v", certFile, keyFile, err)
	}
	r.current, r.stamp, r.checked = &cert, stamp, time.Now()
	return r, nil
}

// TLSConfig serves the reloaded certificate; TLS 1.2 at least.
func (r *CertReloader) TLSConfig() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: r.GetCertificate}
}

// GetCertificate is the tls.Config hook: the current certificate, reloaded
// first if the files changed.
func (r *CertReloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now := time.Now(); now.Sub(r.checked) >= r.interval {
		r.checked = now
		r.reloadIfChanged()
	}
	return r.current, nil
}

// reloadIfChanged loads the pair again when either file changed since the
// last attempt. Called with mu held.
func (r *CertReloader) reloadIfChanged() {
	stamp, err := r.stampFiles()
	if err != nil {
		if r.log != nil {
			r.log.Error("certificate reload failed; serving the previous one", "error", err.Error())
		}
		return
	}
	if stamp[0].same(r.stamp[0]) && stamp[1].same(r.stamp[1]) {
		return
	}
	r.stamp = stamp
	cert, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		if r.log != nil {
			r.log.Error("certificate reload failed; serving the previous one",
				"cert", r.certFile, "key", r.keyFile, "error", err.Error())
		}
		return
	}
	r.current = &cert
	if r.log != nil {
		r.log.Info("certificate reloaded", "cert", r.certFile)
	}
}

func (r *CertReloader) stampFiles() ([2]fileStamp, error) {
	var s [2]fileStamp
	for i, name := range [...]string{r.certFile, r.keyFile} {
		fi, err := os.Stat(name)
		if err != nil {
			return s, err
		}
		s[i] = fileStamp{fi}
	}
	return s, nil
}
