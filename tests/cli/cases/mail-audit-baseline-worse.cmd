# a baseline, then each change kind for the worse (and a domain dropped, one new)
Z=$PWD/zones; cd "$(mktemp -d)" || exit 9
A="--offline --selector s1 --selector s2 --baseline b.jsonl"
mail-audit $A --zone "$Z/watch-a.zone" w.test v.test old.test || exit 9
mail-audit $A --zone "$Z/watch-b.zone" w.test v.test new.test; rc=$?
cd / && rm -rf "$OLDPWD"; exit $rc
