# a record with a Latin-1 byte (odd, not hostile): kept in --json as the
# character it is, stored in a baseline and compared with itself silently
Z=$PWD/zones; cd "$(mktemp -d)" || exit 9
mail-audit --offline --zone "$Z/latin1.zone" --json l.test |
    /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["areas"]["dmarc"]["record"])'
mail-audit --offline --zone "$Z/latin1.zone" --baseline b.jsonl l.test; echo "stored: $?"
mail-audit --offline --zone "$Z/latin1.zone" --baseline b.jsonl l.test; echo "again: $?"
grep -c '"dmarc":{"verdict"' b.jsonl
cd / && rm -rf "$OLDPWD"
