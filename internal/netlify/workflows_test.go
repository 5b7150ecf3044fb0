package netlify_test

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The parts of a GitHub workflow the tests below look at. actionlint
// (make check) checks the syntax and the expressions; these check intent.
type workflow struct {
	On          map[string]yaml.Node `yaml:"on"`
	Permissions yaml.Node            `yaml:"permissions"`
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress string `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Jobs map[string]struct {
		If          string            `yaml:"if"`
		Needs       yaml.Node         `yaml:"needs"`
		Permissions map[string]string `yaml:"permissions"`
		Env         map[string]string `yaml:"env"`
		Steps       []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T, name string) *workflow {
	t.Helper()
	data, err := os.ReadFile("../../.github/workflows/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &w
}

// script returns the run steps of a job, joined, in order.
func (w *workflow) script(job string) string {
	var b strings.Builder
	for _, s := range w.Jobs[job].Steps {
		b.WriteString(s.Run + "\n")
	}
	return b.String()
}

func (w *workflow) uses(job, action string) map[string]string {
	for _, s := range w.Jobs[job].Steps {
		if strings.HasPrefix(s.Uses, action+"@") {
			if s.With == nil {
				return map[string]string{}
			}
			return s.With
		}
	}
	return nil
}

func TestWorkflows(t *testing.T) {
	ci := readWorkflow(t, "ci.yml")
	for _, ev := range []string{"pull_request", "push"} {
		if _, ok := ci.On[ev]; !ok {
			t.Errorf("ci.yml does not run on %s", ev)
		}
	}
	if !strings.Contains(ci.script("test"), "bash .ci/run") {
		t.Error("ci.yml does not run .ci/run, the same checks as CI here")
	}

	d := readWorkflow(t, "deploy.yml")
	for _, ev := range []string{"push", "schedule", "pull_request"} {
		if _, ok := d.On[ev]; !ok {
			t.Errorf("deploy.yml does not run on %s", ev)
		}
	}
	// Weekdays, after 16:00 in New York whether it is on summer time
	// (20:00 UTC) or not (21:00 UTC).
	var schedule []map[string]string
	if n := d.On["schedule"]; n.Decode(&schedule) != nil || len(schedule) != 1 {
		t.Fatalf("deploy.yml: want one schedule, have %v", schedule)
	}
	cron := strings.Fields(schedule[0]["cron"])
	if hour, err := strconv.Atoi(cron[1]); len(cron) != 5 || err != nil || hour < 21 || cron[4] != "1-5" {
		t.Errorf("deploy.yml cron %q: want weekdays (1-5) at 21:00 UTC or later", schedule[0]["cron"])
	}

	// Least privilege: nothing by default; each job asks for what it
	// needs, and only the data refresh may write (it commits prices).
	for name, w := range map[string]*workflow{"ci.yml": ci, "deploy.yml": d} {
		var top map[string]string
		if w.Permissions.Kind == 0 || w.Permissions.Decode(&top) != nil {
			t.Errorf("%s: no top-level permissions map", name)
		}
		for k, v := range top {
			if v != "read" {
				t.Errorf("%s: top-level permission %s: %s", name, k, v)
			}
		}
		for job, j := range w.Jobs {
			for k, v := range j.Permissions {
				if v == "write" && (name != "deploy.yml" || job != "refresh" || k != "contents") {
					t.Errorf("%s: job %s may write %s", name, job, k)
				}
			}
		}
		// Go and npm downloads are cached.
		for job := range w.Jobs {
			if with := w.uses(job, "actions/setup-go"); with != nil && with["cache"] == "false" {
				t.Errorf("%s: job %s turns off the Go cache", name, job)
			}
			if with := w.uses(job, "actions/setup-node"); with != nil && with["cache"] != "npm" {
				t.Errorf("%s: job %s: setup-node without the npm cache", name, job)
			}
		}
	}
	if d.Jobs["refresh"].Permissions["contents"] != "write" {
		t.Error("deploy.yml: the refresh job cannot commit the new prices")
	}

	// Production deploys never overlap and are never cancelled midway.
	if !strings.Contains(d.Concurrency.Group, "production") || d.Concurrency.CancelInProgress == "true" {
		t.Errorf("deploy.yml concurrency %+v: want one production group, not cancelled in progress", d.Concurrency)
	}

	// The deploy: data first, then checks, then the build for the site's
	// address, then netlify deploy --prod of public/.
	refresh := d.script("refresh")
	if !strings.Contains(refresh, "bin/briefs data update") || !strings.Contains(refresh, "git push") {
		t.Error("deploy.yml: the refresh job does not update and commit the data")
	}
	if !slices.Contains(needs(d, "deploy"), "refresh") {
		t.Error("deploy.yml: the deploy job does not wait for the data refresh")
	}
	steps := []string{"make check-site", `make build BUILD_FLAGS="-base-url $URL"`, "deploy --prod --no-build --dir public"}
	assertOrder(t, "deploy job", d.script("deploy"), steps)
	steps = []string{"make check-site CHECK_FLAGS=-drafts", "-drafts -future -noindex", `deploy --no-build --dir public --alias "$ALIAS"`}
	assertOrder(t, "preview job", d.script("preview"), steps)
	if strings.Contains(d.script("preview"), "--prod") {
		t.Error("deploy.yml: the preview job deploys to production")
	}
	for _, job := range []string{"deploy", "preview"} {
		env := d.Jobs[job].Env
		if env["NETLIFY_AUTH_TOKEN"] != "${{ secrets.NETLIFY_AUTH_TOKEN }}" || env["NETLIFY_SITE_ID"] != "${{ secrets.NETLIFY_SITE_ID }}" {
			t.Errorf("deploy.yml: job %s does not take the Netlify secrets: %v", job, env)
		}
	}
	if !strings.Contains(d.Jobs["preview"].If, "head.repo.full_name == github.repository") {
		t.Error("deploy.yml: previews would run for forks, which get no secrets")
	}
}

func needs(w *workflow, job string) []string {
	n := w.Jobs[job].Needs
	var list []string
	if n.Decode(&list) == nil {
		return list
	}
	var one string
	n.Decode(&one)
	return []string{one}
}

func assertOrder(t *testing.T, what, script string, parts []string) {
	t.Helper()
	at := 0
	for _, p := range parts {
		i := strings.Index(script[at:], p)
		if i < 0 {
			t.Errorf("%s: %q missing, or out of order; the script is:\n%s", what, p, script)
			return
		}
		at += i + len(p)
	}
}
