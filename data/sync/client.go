package sync

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"
)

// HubClient is the HTTP client for syncing with a hub: the system's
// certificate authorities, plus caFile's (PEM) when given, so a hub with
// a self-signed certificate can be trusted explicitly.
func HubClient(caFile string) (*http.Client, error) {
	client := &http.Client{Timeout: 30 * time.Minute}
	if caFile == "" {
		return client, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read the hub's certificate %s: %w", caFile, errors.Unwrap(err))
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	client.Transport = &http.Transport{Proxy: http.ProxyFromEnvironment,
		TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	return client, nil
}

// ExplainTLS adds what to do to an error from a hub whose certificate this
// laptop does not trust.
func ExplainTLS(err error) error {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("%w (the hub's certificate is not signed by an authority this laptop trusts: get the certificate from the hub's operator and give it with --ca FILE, or 'Hub certificate…' in the window)", err)
	case errors.As(err, &invalid), errors.As(err, &host):
		return fmt.Errorf("%w (the hub's certificate is not valid for this address or has expired: check the URL with the hub's operator)", err)
	}
	return err
}
