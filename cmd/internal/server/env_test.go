package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/cmd/internal/server"
)

// TestSecretsFromEnvEach: every secret is read from its variable or from
// the file its _FILE variable names; each variable refuses both forms at
// once and a file that cannot be read, naming itself.
func TestSecretsFromEnvEach(t *testing.T) {
	dir := t.TempDir()
	token := "t0k3n-" + strings.Repeat("z", 20)
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(" "+token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := []string{server.EnvAPIKeys, server.EnvVeriffSecret, server.EnvPreventorKey, server.EnvPreventorToken}
	clear := func() {
		for _, v := range vars {
			t.Setenv(v, "")
			t.Setenv(v+"_FILE", "")
		}
	}
	// From the variables, API keys split on commas and newlines.
	clear()
	t.Setenv(server.EnvAPIKeys, "k1-0123456789abcdef\n ops:k2-0123456789abcdef ,,\n")
	t.Setenv(server.EnvPreventorKey, strings.Repeat("cd", 32))
	t.Setenv(server.EnvPreventorToken, token)
	var cfg server.Config
	if err := server.SecretsFromEnv(&cfg); err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.APIKeys, "|") != "k1-0123456789abcdef|ops:k2-0123456789abcdef" || cfg.VeriffSecret != nil ||
		len(cfg.PreventorKey) != 32 || cfg.PreventorKey[31] != 0xcd || string(cfg.PreventorToken) != token {
		t.Fatalf("from the variables: %+v", cfg)
	}
	// The token from a file, trimmed; nothing set leaves the config alone.
	clear()
	t.Setenv(server.EnvPreventorToken+"_FILE", tokenFile)
	cfg = server.Config{APIKeys: []string{"kept"}}
	if err := server.SecretsFromEnv(&cfg); err != nil || string(cfg.PreventorToken) != token || strings.Join(cfg.APIKeys, "|") != "kept" ||
		cfg.VeriffSecret != nil || cfg.PreventorKey != nil {
		t.Fatalf("the token from a file: %v %+v", err, cfg)
	}
	for _, v := range vars {
		clear()
		t.Setenv(v, "x")
		t.Setenv(v+"_FILE", tokenFile)
		if err := server.SecretsFromEnv(&server.Config{}); err == nil || err.Error() != "both "+v+" and "+v+"_FILE are set: use one" {
			t.Errorf("%s both set: %v", v, err)
		}
		clear()
		t.Setenv(v+"_FILE", filepath.Join(dir, "missing"))
		if err := server.SecretsFromEnv(&server.Config{}); err == nil || !strings.HasPrefix(err.Error(), v+"_FILE: ") {
			t.Errorf("%s_FILE missing: %v", v, err)
		}
	}
}
