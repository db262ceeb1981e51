# the first run stores and says so; the same records again: no output, 0;
# the file is the format line, a line a domain, the end line
Z=$PWD/zones; cd "$(mktemp -d)" || exit 9
A="--offline --zone $Z/watch-a.zone --baseline b.jsonl"
mail-audit $A w.test v.test; echo "first: $?"
mail-audit $A w.test v.test; echo "again: $?"
sed -E 's/"written":"[^"]*"/"written":"T"/; s/("sha256":")[0-9a-f]{64}/\1H/' b.jsonl | cut -c1-100
cd / && rm -rf "$OLDPWD"
