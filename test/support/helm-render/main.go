// helm-render renders a Helm chart the way `helm template` does, without a helm binary and
// without network access: Go's text/template, Masterminds' sprig function library and Helm's own
// template functions (include, tpl, toYaml, fromYaml, toJson, fromJson, required, fail, lookup…),
// with .Values (values.yaml coalesced with -f files, numbers as float64 like Helm), .Release,
// .Chart, .Capabilities, .Files and .Template. It builds offline against Debian's Go packages:
//
//	apt-get install golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o helm-render ./test/support/helm-render
//
// Usage:
//
//	helm-render [-chart DIR] [-f values.yaml]... [-name RELEASE] [-namespace NS] [-strict] [-o json|yaml|notes|values]
//	helm-render -yaml2json FILE        (prints a YAML file, all its documents, as a JSON array)
//
// -o json (default) prints every rendered Kubernetes object as one JSON array, in template file
// order; -o yaml prints them like `helm template` (with "# Source:" comments); -o notes prints the
// rendered NOTES.txt; -o values prints the coalesced values as JSON. Any template error, YAML
// syntax error or duplicate key in a rendered manifest, or manifest without apiVersion, kind or
// metadata.name exits 1 with the message on stderr.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/semver"
	"github.com/Masterminds/sprig"
	yaml2 "gopkg.in/yaml.v2"
	yaml3 "gopkg.in/yaml.v3"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

// ChartMeta mirrors the fields of Helm's chart.Metadata that templates read as .Chart.X.
type ChartMeta struct {
	Name, Home, Version, Description, APIVersion, AppVersion, KubeVersion, Type, Icon, Condition, Tags string
	Keywords, Sources                                                                                  []string
	Maintainers, Dependencies                                                                          []interface{}
	Annotations                                                                                        map[string]string
	Deprecated                                                                                         bool
}

// Files is .Files: the chart's non-template files, by path relative to the chart directory.
type Files map[string][]byte

func (f Files) GetBytes(name string) []byte { return f[name] }
func (f Files) Get(name string) string      { return string(f[name]) }
func (f Files) Lines(name string) []string {
	if f[name] == nil {
		return []string{}
	}
	return strings.Split(string(f[name]), "\n")
}
func (f Files) Glob(pattern string) Files {
	out := Files{}
	for name, data := range f {
		if ok, _ := path.Match(pattern, name); ok {
			out[name] = data
		}
	}
	return out
}
func (f Files) AsConfig() string {
	m := map[string]string{}
	for name, data := range f {
		m[path.Base(name)] = string(data)
	}
	return toYAML(m)
}
func (f Files) AsSecrets() string {
	m := map[string]string{}
	for name, data := range f {
		m[path.Base(name)] = base64.StdEncoding.EncodeToString(data)
	}
	return toYAML(m)
}

// VersionSet is .Capabilities.APIVersions.
type VersionSet []string

func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "helm-render: "+format+"\n", args...)
	os.Exit(1)
}

// normalize turns yaml.v2's map[interface{}]interface{} into map[string]interface{} recursively.
func normalize(v interface{}) interface{} {
	switch x := v.(type) {
	case map[interface{}]interface{}:
		m := make(map[string]interface{}, len(x))
		for k, val := range x {
			m[fmt.Sprint(k)] = normalize(val)
		}
		return m
	case map[string]interface{}:
		for k, val := range x {
			x[k] = normalize(val)
		}
		return x
	case []interface{}:
		for i, val := range x {
			x[i] = normalize(val)
		}
		return x
	default:
		return v
	}
}

// helmYAML parses YAML as Helm does for values and Chart.yaml (sigs.k8s.io/yaml: YAML → JSON →
// encoding/json), so every number becomes a float64.
func helmYAML(data []byte) (map[string]interface{}, error) {
	var raw interface{}
	if err := yaml2.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw == nil {
		return map[string]interface{}{}, nil
	}
	j, err := json.Marshal(normalize(raw))
	if err != nil {
		return nil, err
	}
	var out map[string]interface{}
	if err := json.Unmarshal(j, &out); err != nil {
		return nil, fmt.Errorf("top level is not a mapping: %v", err)
	}
	return out, nil
}

// toYAML is Helm's toYaml: sigs.k8s.io/yaml.Marshal (JSON first, then YAML with sorted keys), trailing newline trimmed.
func toYAML(v interface{}) string {
	j, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var obj interface{}
	if err := yaml2.Unmarshal(j, &obj); err != nil {
		return ""
	}
	out, err := yaml2.Marshal(obj)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(out), "\n")
}

// coalesce merges user values over chart defaults as Helm does: maps merge deeply, anything else
// replaces, and a null user value deletes the key.
func coalesce(dst, src map[string]interface{}) map[string]interface{} {
	for k, sv := range src {
		if sv == nil {
			delete(dst, k)
			continue
		}
		dm, dIsMap := dst[k].(map[string]interface{})
		sm, sIsMap := sv.(map[string]interface{})
		if dIsMap && sIsMap {
			dst[k] = coalesce(dm, sm)
		} else {
			dst[k] = sv
		}
	}
	return dst
}

func readYAMLFile(file string) map[string]interface{} {
	data, err := ioutil.ReadFile(file)
	if err != nil {
		fatal("%v", err)
	}
	m, err := helmYAML(data)
	if err != nil {
		fatal("%s: %v", file, err)
	}
	return m
}

func str(m map[string]interface{}, key string) string {
	if s, ok := m[key].(string); ok {
		return s
	}
	if m[key] == nil {
		return ""
	}
	return fmt.Sprint(m[key])
}

func loadChart(dir string) ChartMeta {
	m := readYAMLFile(filepath.Join(dir, "Chart.yaml"))
	c := ChartMeta{
		Name: str(m, "name"), Home: str(m, "home"), Version: str(m, "version"), Description: str(m, "description"),
		APIVersion: str(m, "apiVersion"), AppVersion: str(m, "appVersion"), KubeVersion: str(m, "kubeVersion"),
		Type: str(m, "type"), Icon: str(m, "icon"), Annotations: map[string]string{},
	}
	if c.APIVersion != "v2" {
		fatal("Chart.yaml: apiVersion must be v2, got %q", c.APIVersion)
	}
	if c.Name == "" {
		fatal("Chart.yaml: name is required")
	}
	if _, err := semver.StrictNewVersion(c.Version); err != nil {
		fatal("Chart.yaml: version %q is not SemVer 2: %v", c.Version, err)
	}
	if c.Type != "" && c.Type != "application" && c.Type != "library" {
		fatal("Chart.yaml: type must be application or library, got %q", c.Type)
	}
	if a, ok := m["annotations"].(map[string]interface{}); ok {
		for k, v := range a {
			c.Annotations[k] = fmt.Sprint(v)
		}
	}
	for _, key := range []string{"keywords", "sources"} {
		if list, ok := m[key].([]interface{}); ok {
			for _, x := range list {
				if key == "keywords" {
					c.Keywords = append(c.Keywords, fmt.Sprint(x))
				} else {
					c.Sources = append(c.Sources, fmt.Sprint(x))
				}
			}
		}
	}
	if list, ok := m["maintainers"].([]interface{}); ok {
		c.Maintainers = list
	}
	return c
}

// loadFiles reads every file of the chart except templates/ and the ones .helmignore names
// (only simple patterns: names, globs, trailing-slash directories).
func loadFiles(dir string) Files {
	var ignore []string
	if data, err := ioutil.ReadFile(filepath.Join(dir, ".helmignore")); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !strings.HasPrefix(line, "#") {
				ignore = append(ignore, line)
			}
		}
	}
	ignored := func(rel string, isDir bool) bool {
		for _, p := range ignore {
			dirOnly := strings.HasSuffix(p, "/")
			p = strings.TrimSuffix(p, "/")
			if dirOnly && !isDir {
				continue
			}
			if ok, _ := path.Match(p, rel); ok {
				return true
			}
			if ok, _ := path.Match(p, path.Base(rel)); ok {
				return true
			}
		}
		return false
	}
	files := Files{}
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignored(rel, info.IsDir()) {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if info.IsDir() {
			if rel == "templates" || rel == "charts" {
				return filepath.SkipDir
			}
			return nil
		}
		if rel == "Chart.yaml" || rel == "values.yaml" || rel == "values.schema.json" {
			return nil
		}
		data, err := ioutil.ReadFile(p)
		if err == nil {
			files[rel] = data
		}
		return nil
	})
	return files
}

type renderer struct {
	root      *template.Template
	chartName string
}

func (r *renderer) funcMap() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	includeDepth := map[string]int{}
	f["include"] = func(name string, data interface{}) (string, error) {
		includeDepth[name]++
		defer func() { includeDepth[name]-- }()
		if includeDepth[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		var buf bytes.Buffer
		if err := r.root.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := r.root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %v", text, err)
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", fmt.Errorf("error calling tpl: %v", err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["toYaml"] = toYAML
	f["fromYaml"] = func(s string) map[string]interface{} {
		m, err := helmYAML([]byte(s))
		if err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		return m
	}
	f["fromYamlArray"] = func(s string) []interface{} {
		var raw interface{}
		if err := yaml2.Unmarshal([]byte(s), &raw); err != nil {
			return []interface{}{err.Error()}
		}
		list, _ := normalize(raw).([]interface{})
		return list
	}
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["mustToJson"] = func(v interface{}) (string, error) {
		data, err := json.Marshal(v)
		return string(data), err
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromJsonArray"] = func(s string) []interface{} {
		var a []interface{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			return []interface{}{err.Error()}
		}
		return a
	}
	f["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, errors.New(warn)
		}
		if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warn)
		}
		return val, nil
	}
	f["fail"] = func(msg string) (string, error) { return "", errors.New(msg) }
	// As in `helm template`: no cluster, so every lookup finds nothing.
	f["lookup"] = func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	return f
}

var manifestSeparator = regexp.MustCompile("(?:^|\\s*\n)---\\s*")

type rendered struct {
	source string
	text   string
}

func main() {
	chartDir := flag.String("chart", "helm/nest-bittorrent-tracker", "chart directory")
	var files valueFiles
	flag.Var(&files, "f", "values file (repeatable; later files win)")
	name := flag.String("name", "release-name", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	output := flag.String("o", "json", "json | yaml | notes | values")
	kubeVersion := flag.String("kube-version", "v1.30.0", ".Capabilities.KubeVersion.Version")
	apiVersions := flag.String("api-versions", "", "extra .Capabilities.APIVersions, comma separated")
	yaml2json := flag.String("yaml2json", "", "print this YAML file as a JSON array of its documents and exit")
	strict := flag.Bool("strict", false, "fail on a missing map key, as `helm lint --strict` does")
	flag.Parse()

	if *yaml2json != "" {
		printYAMLAsJSON(*yaml2json)
		return
	}

	chart := loadChart(*chartDir)
	values := readYAMLFile(filepath.Join(*chartDir, "values.yaml"))
	for _, file := range files {
		values = coalesce(values, readYAMLFile(file))
	}
	if *output == "values" {
		out, _ := json.MarshalIndent(values, "", "  ")
		fmt.Println(string(out))
		return
	}

	versions := VersionSet{"v1", "apps/v1", "batch/v1", "policy/v1", "networking.k8s.io/v1", "autoscaling/v2",
		"rbac.authorization.k8s.io/v1", "storage.k8s.io/v1"}
	if *apiVersions != "" {
		versions = append(versions, strings.Split(*apiVersions, ",")...)
	}
	kv := strings.TrimPrefix(*kubeVersion, "v")
	parts := strings.SplitN(kv, ".", 3)
	for len(parts) < 3 {
		parts = append(parts, "0")
	}
	capabilities := map[string]interface{}{
		"KubeVersion": map[string]interface{}{"Version": *kubeVersion, "GitVersion": *kubeVersion, "Major": parts[0], "Minor": parts[1]},
		"APIVersions": versions,
		"HelmVersion": map[string]interface{}{"Version": "v3.15.0"},
	}
	release := map[string]interface{}{"Name": *name, "Namespace": *namespace, "Service": "Helm",
		"IsInstall": true, "IsUpgrade": false, "Revision": 1}
	chartFiles := loadFiles(*chartDir)

	// Parse every template into one set, named as Helm names them: <chart>/templates/<path>.
	templatesDir := filepath.Join(*chartDir, "templates")
	var names []string
	_ = filepath.Walk(templatesDir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(*chartDir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(names)
	r := &renderer{chartName: chart.Name}
	r.root = template.New("gotpl").Option("missingkey=zero")
	if *strict {
		r.root.Option("missingkey=error")
	}
	funcs := r.funcMap()
	r.root.Funcs(funcs)
	for _, rel := range names {
		data, err := ioutil.ReadFile(filepath.Join(*chartDir, rel))
		if err != nil {
			fatal("%v", err)
		}
		if _, err := r.root.New(chart.Name + "/" + rel).Funcs(funcs).Parse(string(data)); err != nil {
			fatal("parse error in %s: %v", rel, err)
		}
	}

	var docs []rendered
	var notes string
	for _, rel := range names {
		base := path.Base(rel)
		if strings.HasPrefix(base, "_") {
			continue
		}
		isNotes := base == "NOTES.txt"
		if !isNotes && !strings.HasSuffix(base, ".yaml") && !strings.HasSuffix(base, ".yml") && !strings.HasSuffix(base, ".tpl") {
			continue
		}
		full := chart.Name + "/" + rel
		top := map[string]interface{}{
			"Values": values, "Release": release, "Chart": chart, "Capabilities": capabilities, "Files": chartFiles,
			"Template": map[string]interface{}{"Name": full, "BasePath": chart.Name + "/templates"},
		}
		var buf bytes.Buffer
		if err := r.root.ExecuteTemplate(&buf, full, top); err != nil {
			fatal("%v", err)
		}
		out := strings.ReplaceAll(buf.String(), "<no value>", "")
		if isNotes {
			notes = out
			continue
		}
		for _, doc := range manifestSeparator.Split(out, -1) {
			if strings.TrimSpace(doc) != "" {
				docs = append(docs, rendered{source: full, text: doc})
			}
		}
	}

	switch *output {
	case "notes":
		fmt.Print(notes)
		return
	case "yaml":
		for _, d := range docs {
			parseManifest(d)
			fmt.Printf("---\n# Source: %s\n%s\n", d.source, strings.TrimSpace(d.text))
		}
		return
	case "json":
		objects := make([]interface{}, 0, len(docs))
		for _, d := range docs {
			if obj := parseManifest(d); obj != nil {
				objects = append(objects, obj)
			}
		}
		out, _ := json.MarshalIndent(objects, "", "  ")
		fmt.Println(string(out))
	default:
		fatal("unknown output %q", *output)
	}
}

// parseManifest parses one rendered document as Kubernetes reads it (YAML 1.1, yaml.v2), after
// checking it with yaml.v3, which rejects duplicate keys. Comment-only documents give nil.
func parseManifest(d rendered) interface{} {
	var strict yaml3.Node
	if err := yaml3.Unmarshal([]byte(d.text), &strict); err != nil {
		fatal("YAML parse error in %s: %v\n%s", d.source, err, numbered(d.text))
	}
	var raw interface{}
	if err := yaml2.Unmarshal([]byte(d.text), &raw); err != nil {
		fatal("YAML parse error in %s: %v\n%s", d.source, err, numbered(d.text))
	}
	if raw == nil {
		return nil
	}
	obj, ok := normalize(raw).(map[string]interface{})
	if !ok {
		fatal("%s: a manifest must be a mapping\n%s", d.source, numbered(d.text))
	}
	meta, _ := obj["metadata"].(map[string]interface{})
	if str(obj, "apiVersion") == "" || str(obj, "kind") == "" || meta == nil || str(meta, "name") == "" {
		fatal("%s: manifest without apiVersion, kind or metadata.name\n%s", d.source, numbered(d.text))
	}
	return obj
}

func numbered(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = fmt.Sprintf("%4d  %s", i+1, l)
	}
	return strings.Join(lines, "\n")
}

func printYAMLAsJSON(file string) {
	data, err := ioutil.ReadFile(file)
	if err != nil {
		fatal("%v", err)
	}
	dec := yaml2.NewDecoder(bytes.NewReader(data))
	docs := []interface{}{}
	for {
		var raw interface{}
		err := dec.Decode(&raw)
		if err != nil {
			if err == io.EOF {
				break
			}
			fatal("%s: %v", file, err)
		}
		docs = append(docs, normalize(raw))
	}
	// Duplicate keys are an error, as in Compose and Helm.
	var strict yaml3.Node
	dec3 := yaml3.NewDecoder(bytes.NewReader(data))
	for {
		if err := dec3.Decode(&strict); err != nil {
			if err == io.EOF {
				break
			}
			fatal("%s: %v", file, err)
		}
	}
	out, err := json.MarshalIndent(docs, "", "  ")
	if err != nil {
		fatal("%s: %v", file, err)
	}
	fmt.Println(string(out))
}
