package server

import (
	"fmt"
	"os"
	"strings"
)

// The environment variables that hold secrets. Each may instead name a
// file with the secret, in the variable of the same name ending in _FILE
// (for secrets mounted as files).
const (
	EnvAPIKeys        = "VEREDICTO_API_KEYS"        // comma-separated API key entries (KEY, NAME:KEY or NAME:KEY:SCOPE+SCOPE)
	EnvVeriffSecret   = "VEREDICTO_VERIFF_SECRET"   // Veriff's shared secret
	EnvPreventorKey   = "VEREDICTO_PREVENTOR_KEY"   // Preventor's AES-256 key
	EnvPreventorToken = "VEREDICTO_PREVENTOR_TOKEN" // the secret path segment of the Preventor webhook URL
)

// SecretsFromEnv fills the secrets of cfg from the environment.
func SecretsFromEnv(cfg *Config) error {
	keys, err := secret(EnvAPIKeys)
	if err != nil {
		return err
	}
	for _, k := range strings.FieldsFunc(keys, func(r rune) bool { return r == ',' || r == '\n' }) {
		if k = strings.TrimSpace(k); k != "" {
			cfg.APIKeys = append(cfg.APIKeys, k)
		}
	}
	v, err := secret(EnvVeriffSecret)
	if err != nil {
		return err
	}
	if v != "" {
		cfg.VeriffSecret = []byte(v)
	}
	p, err := secret(EnvPreventorKey)
	if err != nil {
		return err
	}
	if p != "" {
		if cfg.PreventorKey, err = ParsePreventorKey(p); err != nil {
			return fmt.Errorf("%s: %w", EnvPreventorKey, err)
		}
	}
	tok, err := secret(EnvPreventorToken)
	if err != nil {
		return err
	}
	if tok != "" {
		cfg.PreventorToken = []byte(tok)
	}
	return nil
}

// secret reads $name, or the file named by $name_FILE.
func secret(name string) (string, error) {
	v, file := os.Getenv(name), os.Getenv(name+"_FILE")
	switch {
	case v != "" && file != "":
		return "", fmt.Errorf("both %s and %s_FILE are set: use one", name, name)
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return strings.TrimSpace(v), nil
}
