#!/usr/bin/env python3
"""Secret-store inventories, the service manifest and its rules.

Each check names what a bug would break:
 1. Vault: the CLI's bare mount map and the API's {"data": ...} envelope
    give the same nodes; auth tables are told from secrets tables; the
    cluster's address comes from VAULT_ADDR, a host-named folder, or is
    warned about; local mounts are marked.
 2. Secrets Manager: a secret in list-secrets and in a Terraform state is
    one node; epoch and ISO dates read the same; no KmsKeyId is the
    region's aws/secretsmanager key, which the Terraform importer names the
    same way; replicas are nodes of their own regions.
 3. External Secrets: v1 and v1beta1 read alike, other Kubernetes kinds in
    the same file are skipped without a word.
 4. SOPS: no encrypted value, data key or MAC reaches any output; key
    groups with a threshold below their number are an ANY gate.
 5. Sniffing: a Terraform state, a Route 53 export and a zone beside the
    inventories are still read by their own importers.
 6. Manifest validation: every error class at its line; YAML 1.1 booleans
    kept as strings with a warning; paths attribute files, and inference
    refuses when two sides match.
 7. Severity: one step up for tier critical, not for high.
 8. Scale: a list-secrets eight times longer takes well under 25 times as
    long (each secret's line was once searched from the file's start).
argv: sharedfate binary, source directory.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

FAILS = []


def check(what, ok, detail=""):
    if not ok:
        FAILS.append("%s%s" % (what, (": " + detail) if detail else ""))


def run(binary, cwd, args):
    p = subprocess.run([binary, "scan", "--color", "never"] + args, cwd=cwd, capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def graph(binary, cwd, path):
    rc, out, err = run(binary, cwd, ["--format", "graph-json", path])
    if rc not in (0, 1):
        raise SystemExit("FAIL graph of %s: exit %d\n%s" % (path, rc, err))
    g = json.loads(out)
    return {n["key"]: n for n in g["nodes"]}, g["edges"], err


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def vault(binary, src, tmp):
    fx = os.path.join(src, "fixtures", "inv-recovery-cycle", "vault", "vault.example.com_8200")
    with open(os.path.join(fx, "auth.json")) as f:
        enveloped = json.load(f)
    bare = enveloped["data"]
    d = os.path.join(tmp, "vault")
    write(os.path.join(d, "a", "vault.example.com_8200", "auth.json"), json.dumps(enveloped, indent=2))
    write(os.path.join(d, "b", "vault.example.com_8200", "auth.json"), json.dumps(bare, indent=4))
    na, _, _ = graph(binary, tmp, "vault/a")
    nb, _, _ = graph(binary, tmp, "vault/b")
    strip = lambda ns: sorted(k for k in ns if not k.startswith("inventory:"))
    check("vault: envelope and bare map give the same nodes", strip(na) == strip(nb),
          "%s vs %s" % (strip(na), strip(nb)))
    oidc = na.get("vault:https://vault.example.com:8200/auth/oidc/")
    check("vault: oidc is an identity provider for operators",
          oidc and oidc["kind"] == "identity_provider" and oidc["attributes"].get("login") == "operators")
    k8s = na.get("vault:https://vault.example.com:8200/auth/kubernetes-prod-use1/")
    check("vault: kubernetes is a workload login, local_only",
          k8s and k8s["attributes"].get("login") == "workloads"
          and k8s["attributes"].get("local_only") == "true")
    # VAULT_ADDR beside the mounts wins over the folder; none at all warns
    with open(os.path.join(fx, "secrets.json")) as f:
        secrets = json.load(f)
    withaddr = dict(secrets, VAULT_ADDR="https://Vault-DR.example.com:8200")
    write(os.path.join(d, "c", "vault.example.com_8200", "secrets.json"), json.dumps(withaddr))
    nc, _, _ = graph(binary, tmp, "vault/c")
    check("vault: VAULT_ADDR names the cluster, lower-cased",
          "vault:https://vault-dr.example.com:8200" in nc and
          nc.get("vault:https://vault-dr.example.com:8200/secret/", {}).get("kind") == "secret_store",
          str(sorted(nc)))
    write(os.path.join(d, "d", "secrets.json"), json.dumps(secrets))
    rc, out, err = run(binary, tmp, ["vault/d"])
    check("vault: no address is a warning with the file's line", "secrets.json:1: warning: which Vault cluster" in err, err)
    # an empty object is not a mount table: a path:line error, exit 2
    write(os.path.join(d, "e", "vault.example.com", "secrets.json"),
          '{\n  "sys/": {"type": 7, "accessor": "x", "seal_wrap": false}\n}\n')
    rc, out, err = run(binary, tmp, ["vault/e"])
    check("vault: no mount is exit 2 at line 1", rc == 2 and "secrets.json:1: error: not a Vault mount table" in err,
          "%d %s" % (rc, err))


def secretsmanager(binary, src):
    ns, edges, _ = graph(binary, src, "fixtures/inv-secretsmanager")
    arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/api/db-Xy7Q2p"
    same = [k for k, n in ns.items() if n["attributes"].get("arn") == arn]
    check("secretsmanager: the state's secret and the listing's are one node",
          same == ["aws_secretsmanager_secret.db"], str(same))
    check("secretsmanager: the state's rotation is not overwritten by an absent field",
          ns["aws_secretsmanager_secret.db"]["attributes"].get("rotation_enabled") == "true")
    sk = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/api/stripe-key-Kd93jF"
    check("secretsmanager: epoch and ISO dates read the same",
          ns[sk]["attributes"].get("last_rotated") == "2024-02-29T10:15:02Z", str(ns[sk]["attributes"]))
    enc = [e["to"] for e in edges if e["from"] == sk and e["kind"] == "encrypted_by"]
    check("secretsmanager: no KmsKeyId is the region's aws/secretsmanager key",
          enc == ["arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager"], str(enc))
    rep = "arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/api/stripe-key-Kd93jF"
    check("secretsmanager: a replica is its region's node, member of the primary",
          rep in ns and {"from": rep, "to": sk, "kind": "member_of", "plane": "control"} in edges)


def eso(binary, src, tmp):
    rc, out, err = run(binary, src, ["fixtures/inv-recovery-cycle"])
    check("eso: Namespace and Deployment documents are skipped quietly", err == "", err)
    ns, edges, _ = graph(binary, src, "fixtures/inv-recovery-cycle")
    for scope in ("clusters/prod-use1/keycloak/", "clusters/prod-usw2/keycloak/"):
        k = "eso:%s:ClusterSecretStore/vault-backend" % scope
        check("eso: store of %s (v1beta1 and v1)" % scope, k in ns and
              {"from": k, "to": "vault:https://vault.example.com:8200/secret/", "kind": "reads_secret",
               "plane": "data"} in edges)
    # aws provider: a secret named by the store's region and role's account
    write(os.path.join(tmp, "eso", "es.yaml"), """apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: {name: sm, namespace: pay}
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
      role: arn:aws:iam::123456789012:role/eso
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db, namespace: pay}
spec:
  secretStoreRef: {name: sm}
  data:
    - secretKey: password
      remoteRef: {key: prod/pay/db, property: password}
""")
    ns, edges, err = graph(binary, tmp, "eso")
    check("eso: an aws store's secret by name is the partial ARN in its region",
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/pay/db" in ns, str(sorted(ns)))
    # beside the account's list-secrets, the name reaches the listed secret
    full = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/pay/db-AbC123"
    write(os.path.join(tmp, "eso", "aws", "list-secrets.json"),
          json.dumps({"SecretList": [{"ARN": full, "Name": "prod/pay/db"}]}))
    ns, edges, err = graph(binary, tmp, "eso")
    check("eso + secretsmanager: the ExternalSecret reads the listed secret",
          {"from": "eso:eso/:SecretStore/pay/sm", "to": full, "kind": "reads_secret", "plane": "data"}
          in edges and "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/pay/db" not in ns,
          str([e for e in edges if e["from"].startswith("eso:")]))

    # what `kubectl get -o yaml` writes (a List), a ClusterExternalSecret in
    # named and selected namespaces, an item with its own store, and one
    # made by a generator (no store read)
    write(os.path.join(tmp, "eso-list", "es.yaml"), """apiVersion: v1
kind: List
items:
- apiVersion: external-secrets.io/v1beta1
  kind: ClusterSecretStore
  metadata: {name: vault}
  spec:
    provider:
      vault:
        server: https://vault.example.com:8200
        path: kv
        auth: {kubernetes: {mountPath: k8s, role: eso}}
- apiVersion: external-secrets.io/v1beta1
  kind: ClusterExternalSecret
  metadata: {name: shared-db}
  spec:
    namespaces: [pay, shop]
    namespaceSelector: {matchLabels: {db: "true"}}
    externalSecretSpec:
      secretStoreRef: {name: vault, kind: ClusterSecretStore}
      data:
      - secretKey: pw
        remoteRef: {key: db/creds}
- apiVersion: external-secrets.io/v1
  kind: ExternalSecret
  metadata: {name: mixed, namespace: ops}
  spec:
    data:
    - secretKey: a
      remoteRef: {key: ops/a}
      sourceRef:
        storeRef: {name: vault, kind: ClusterSecretStore}
    - secretKey: b
      sourceRef:
        generatorRef: {apiVersion: generators.external-secrets.io/v1alpha1, kind: Password, name: pw}
metadata: {resourceVersion: ""}
""")
    ns, edges, err = graph(binary, tmp, "eso-list")
    store = "eso:eso-list/:ClusterSecretStore/vault"
    reads = {(e["from"], e["to"]) for e in edges if e["kind"] == "reads_secret"}
    for n in ("pay", "shop", "(namespaces selected by shared-db)", "ops"):
        check("eso List: namespace %s reads the cluster store" % n,
              ("k8s:eso-list/:namespace/" + n, store) in reads, str(sorted(reads)))
    check("eso List: no warning for a generator item or the List", err == "", err)
    check("eso List: the store reads the Vault engine", any(f == store and t.startswith("vault:https://vault.example.com:8200/kv")
                                                              for f, t in reads), str(sorted(reads)))

    # namespaces times items is bounded: a warning, not 25 million edges
    write(os.path.join(tmp, "eso-wide", "es.yaml"),
          "apiVersion: external-secrets.io/v1\nkind: ClusterExternalSecret\nmetadata: {name: big}\n"
          "spec:\n  namespaces: [%s]\n  externalSecretSpec:\n"
          "    secretStoreRef: {name: v, kind: ClusterSecretStore}\n    data:\n%s\n"
          % (", ".join("n%d" % i for i in range(5000)),
             "\n".join("      - {secretKey: k%d, remoteRef: {key: s/%d}}" % (i, i) for i in range(5000))))
    rc, out, err = run(binary, tmp, ["--fail-on", "none", "eso-wide"])
    check("eso: a ClusterExternalSecret of 5,000 namespaces x 5,000 items is cut at the budget",
          rc == 0 and "es.yaml:9: warning: more than 200000 secret reads" in err, "%d %s" % (rc, err[:300]))

    # Kubernetes YAML written with anchors and merge keys reads as if
    # written out; an alias bomb stops at the node budget with file:line.
    write(os.path.join(tmp, "eso-anchors", "es.yaml"), """apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: &meta {name: sm, namespace: pay}
spec:
  provider:
    aws: &aws
      service: SecretsManager
      region: eu-west-1
      role: arn:aws:iam::123456789012:role/eso
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  <<: {namespace: pay}
  name: db
spec:
  secretStoreRef: {name: sm}
  data:
    - &item
      secretKey: password
      remoteRef: {key: prod/pay/db, property: password}
    - <<: *item
      secretKey: user
""")
    ns, edges, err = graph(binary, tmp, "eso-anchors")
    check("eso: anchors and merge keys expand",
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/pay/db" in ns and err == "",
          err + str(sorted(ns)))
    bomb = ["apiVersion: external-secrets.io/v1", "kind: ExternalSecret",
            "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        bomb.append("a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 9)))
    write(os.path.join(tmp, "eso-bomb", "es.yaml"), "\n".join(bomb) + "\n")
    rc, out, err = run(binary, tmp, ["eso-bomb"])
    check("eso: an alias bomb is refused at its line, exit 2",
          rc == 2 and "es.yaml:8: error: more than 200000 YAML nodes" in err, "%d %s" % (rc, err))


def sops_flat(binary, tmp):
    """SOPS's dotenv and INI stores flatten the metadata into key names;
    they must read as the YAML store's tree, with nothing encrypted shown."""
    enc = "ENC[AES256_GCM,data:c2VjcmV0,iv:aXY=,tag:dGFn,type:str]"
    write(os.path.join(tmp, "flat", "app.env"), "\n".join([
        "DB_PASSWORD=" + enc,
        "# a comment",
        "sops_kms__list_0__map_arn=arn:aws:kms:us-west-2:123456789012:key/mrk-1",
        "sops_kms__list_0__map_aws_profile=",
        "sops_kms__list_0__map_enc=AQICAHsecretdatakey",
        "sops_kms__list_1__map_arn=arn:aws:kms:us-east-1:123456789012:key/mrk-2",
        "sops_lastmodified=2024-06-09T05:14:49Z",
        "sops_mac=" + enc,
        "sops_version=3.8.1", ""]))
    write(os.path.join(tmp, "flat", "groups.env"), "\n".join([
        "TOKEN=" + enc,
        "sops_key_groups__list_0__map_kms__list_0__map_arn=arn:aws:kms:us-west-2:123456789012:key/g1",
        "sops_key_groups__list_1__map_age__list_0__map_recipient=age1qqqexample",
        "sops_key_groups__list_1__map_age__list_0__map_enc=-----BEGIN AGE ENCRYPTED FILE-----",
        "sops_shamir_threshold=2",
        "sops_mac=" + enc,
        "sops_version=3.8.1", ""]))
    write(os.path.join(tmp, "flat", "app.ini"), "\n".join([
        "[database]",
        "password = " + enc,
        "[sops]",
        "gcp_kms__list_0__map_resource_id = projects/p/locations/global/keyRings/r/cryptoKeys/k",
        "gcp_kms__list_0__map_enc = CiQAsecret",
        "mac = " + enc,
        "version = 3.8.1", ""]))
    # a .env that names sops_ keys but has no SOPS metadata is no SOPS file
    write(os.path.join(tmp, "flat", "notes.env"), "X=" + enc + "\nsops_kms__list_0__map_arn=arn:aws:kms:us-west-2:1:key/x\n")
    for fmt in ("json", "graph-json", "text"):
        rc, out, err = run(binary, tmp, ["--format", fmt, "flat"])
        for leak in ("ENC[AES", "AQICAH", "BEGIN AGE", "c2VjcmV0", "CiQA", "dGFn"):
            check("sops flat: %r not in %s output" % (leak, fmt), leak not in out + err)
    ns, edges, err = graph(binary, tmp, "flat")
    e = {(x["from"], x["to"]) for x in edges if x["kind"] == "encrypted_by"}
    check("sops dotenv: both KMS keys, an ANY gate",
          ("sops:flat/app.env", "arn:aws:kms:us-west-2:123456789012:key/mrk-1") in e and
          ("sops:flat/app.env", "arn:aws:kms:us-east-1:123456789012:key/mrk-2") in e and
          ns["sops:flat/app.env"]["gate"] == "any" and ns["sops:flat/app.env"]["location"]["line"] == 3,
          str(sorted(e)) + str(ns.get("sops:flat/app.env")))
    check("sops dotenv: key groups with a threshold of 2 of 2 are an ALL gate",
          ns["sops:flat/groups.env"]["gate"] == "all" and
          ("sops:flat/groups.env#group1", "arn:aws:kms:us-west-2:123456789012:key/g1") in e and
          ("sops:flat/groups.env#group2", "age:age1qqqexample") in e, str(ns.get("sops:flat/groups.env")))
    check("sops ini: the [sops] section's GCP key",
          ("sops:flat/app.ini", "projects/p/locations/global/keyRings/r/cryptoKeys/k") in e, str(sorted(e)))
    check("sops: a .env without metadata is a warning, not a secret",
          "sops:flat/notes.env" not in ns and "flat/notes.env:1: warning: looks encrypted" in err, err)


def sops(binary, src):
    for fmt in ("json", "graph-json", "text"):
        rc, out, err = run(binary, src, ["--format", fmt, "fixtures/inv-sops"])
        for leak in ("ENC[", "AQICAH", "BEGIN AGE", "c2VjcmV0", "bWFjLWRhdGE"):
            check("sops: %r not in %s output" % (leak, fmt), leak not in out + err)
    ns, edges, _ = graph(binary, src, "fixtures/inv-sops")
    f = ns["sops:fixtures/inv-sops/deploy/usw2/secrets.enc.json"]
    check("sops: 2 of 2 key groups is an ALL gate", f["gate"] == "all" and
          f["attributes"].get("shamir_threshold") == "2 of 2", str(f))
    g = ns["sops:fixtures/inv-sops/.sops.yaml#rule2"]
    check("sops: .sops.yaml threshold 2 of 2 groups", g["attributes"].get("shamir_threshold") == "2 of 2")
    check("sops: a single-key-list file is an ANY gate",
          ns["sops:fixtures/inv-sops/deploy/use1/secrets.enc.yaml"]["gate"] == "any")
    check("sops: the KMS key with a +role suffix is the state's key",
          {"from": "sops:fixtures/inv-sops/.sops.yaml#rule2#group2", "to": "aws_kms_key.sops", "kind": "encrypted_by",
           "plane": "data"} in edges, str([e for e in edges if "rule2" in e["from"]]))


def sniffing(binary, src, tmp):
    d = os.path.join(tmp, "mixed")
    shutil.copytree(os.path.join(src, "fixtures", "inv-sops"), d)
    shutil.copy(os.path.join(src, "fixtures", "tf-sf102-shared-secret", "terraform.tfstate"),
                os.path.join(d, "other.tfstate"))
    for name in os.listdir(os.path.join(src, "fixtures", "route53-json")):
        if name.endswith(".json") and not name.startswith("expected"):
            shutil.copy(os.path.join(src, "fixtures", "route53-json", name), os.path.join(d, name))
    # a Helm template of an ExternalSecret and a page quoting SOPS output
    write(os.path.join(d, "chart", "templates", "es.yaml"),
          "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\n"
          "metadata:\n  name: {{ .Release.Name }}\n")
    write(os.path.join(d, "docs", "sops.yaml"), "example: ENC[AES256_GCM,data:eA==,type:str]\n")
    rc, out, err = run(binary, tmp, ["--format", "json", "mixed"])
    check("sniff: a Helm template is no inventory and no error", rc in (0, 1), err)
    check("sniff: ENC[ without sops: is a warning", "docs/sops.yaml:1: warning: looks encrypted" in err, err)
    formats = {i["path"]: i["format"] for i in json.loads(out)["inputs"]}
    check("sniff: a state stays a state", formats.get("mixed/other.tfstate") == "tfstate", str(formats))
    check("sniff: the zone stays a zone", formats.get("mixed/dns/example.com.db") == "zone", str(formats))
    check("sniff: Route 53 exports stay route53-json",
          any(v == "route53-json" for v in formats.values()), str(formats))


MANIFEST_ERRORS = """version: 1
services:
  - name: login
    tier: crit
    function: authentication
    owner: [team-identity]
    runbook: javascript:alert(1)
    dns: login.example.com
    colour: blue
    primary:
      dns: login-use1.example.com
      paths: clusters/use1/
    standby: {dns: login-usw2.example.com, path: [clusters/usw2/]}
    depends_on:
      - {kind: idp, key: "idp:https://example.okta.com", side: both}
      - {kind: identity_provider, key: "idp:https://example.okta.com", side: left}
  - name: api
    dns: api.example.com
    primary: api-use1.example.com
    owner: no
"""


def manifest(binary, tmp):
    d = os.path.join(tmp, "m1")
    write(os.path.join(d, "sharedfate.yaml"), MANIFEST_ERRORS)
    rc, out, err = run(binary, tmp, ["m1"])
    want = [
        (4, "error: tier: unknown value 'crit' (known: critical, high, medium, low)"),
        (6, "error: owner must be a non-empty string"),
        (7, "error: runbook: give an https:// or http:// URL"),
        (9, "error: service: unknown field 'colour'"),
        (12, "error: paths must be a list"),
        (13, "error: standby: unknown field 'path' (known: dns, paths)"),
        (15, "error: depends_on: unknown kind 'idp'"),
        (16, "error: depends_on side: unknown value 'left' (known: primary, standby, both)"),
        (17, "error: service 'api': give every side (primary, standby) a DNS name, or none"),
        (20, "warning: owner: 'no' is a boolean in YAML 1.1; kept as the string \"no\""),
    ]
    check("manifest: exit 2", rc == 2, str(rc))
    for line, msg in want:
        check("manifest: line %d %s" % (line, msg), "m1/sharedfate.yaml:%d: %s" % (line, msg) in err, err)
    # paths attribute; inference stops when two sides' words match
    d = os.path.join(tmp, "m2")
    write(os.path.join(d, "sharedfate.yaml"), """version: 1
services:
  - name: pay
    dns: pay.example.com
    primary: pay-use1.example.com
    standby: pay-usw2.example.com
""")
    es = """apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: x, namespace: pay}
spec:
  secretStoreRef: {name: s}
"""
    write(os.path.join(d, "k8s", "use1", "pay", "es.yaml"), es)
    write(os.path.join(d, "k8s", "use1-usw2", "pay", "es.yaml"), es)
    write(os.path.join(d, "k8s", "use1", "other", "es.yaml"), es)
    rc, out, err = run(binary, tmp, ["--format", "json", "m2"])
    sides = {i["path"]: i.get("side") for i in json.loads(out)["inputs"]}
    check("attribution: inferred from folder and service name",
          sides.get("m2/k8s/use1/pay/es.yaml") == "pay/primary", str(sides))
    check("attribution: both sides' words: none",
          sides.get("m2/k8s/use1-usw2/pay/es.yaml") == "none", str(sides))
    check("attribution: the service not named: none",
          sides.get("m2/k8s/use1/other/es.yaml") == "none", str(sides))


def severity(binary, tmp):
    base = """version: 1
services:
  - name: web
    tier: %s
    owner: team-web
    runbook: https://wiki.example.com/web
    dns: web.example.com
    primary: web-use1.example.com
    standby: web-usw2.example.com
zones:
  - {file: z.db, origin: example.com}
"""
    zone = """$TTL 60
@ SOA ns1.example.net. h.example.com. 1 7200 900 1209600 60
@ NS ns1.example.net.
web-use1 A 192.0.2.1
web-usw2 A 192.0.2.2
"""
    got = {}
    for tier in ("critical", "high"):
        d = os.path.join(tmp, "sev-" + tier)
        write(os.path.join(d, "sharedfate.yaml"), base % tier)
        write(os.path.join(d, "z.db"), zone)
        rc, out, err = run(binary, tmp, ["--format", "json", "sev-" + tier])
        got[tier] = {f["rule"]: f["severity"] for f in json.loads(out)["findings"]}
    check("severity: SF109 medium for tier high", got["high"].get("SF109") == "medium", str(got))
    check("severity: SF109 high for tier critical", got["critical"].get("SF109") == "high", str(got))


def scale(binary, tmp):
    import time
    times = {}
    for n in (2000, 16000):
        d = os.path.join(tmp, "scale%d" % n)
        secrets = [{"ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/s%d-AbCdEf" % i,
                    "Name": "app/s%d" % i, "LastChangedDate": 1709210000.5,
                    "ReplicationStatus": [{"Region": "us-west-2", "Status": "InSync"}]}
                   for i in range(n)]
        write(os.path.join(d, "list-secrets.json"), json.dumps({"SecretList": secrets}, indent=4))
        t = time.monotonic()
        rc, out, err = run(binary, tmp, ["--format", "json", "-o", os.devnull, "scale%d" % n])
        times[n] = time.monotonic() - t
        check("scale: %d secrets imported" % n, rc == 0, err)
    check("scale: 8x the secrets, under 25x the time", times[16000] < 25 * max(times[2000], 0.05),
          str(times))


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="sf-inv-")
    try:
        vault(binary, src, tmp)
        secretsmanager(binary, src)
        eso(binary, src, tmp)
        sops(binary, src)
        sops_flat(binary, tmp)
        sniffing(binary, src, tmp)
        manifest(binary, tmp)
        severity(binary, tmp)
        scale(binary, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in FAILS:
        print("FAIL", f)
    if FAILS:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
