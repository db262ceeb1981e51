# each change kind for the better, the same records the other way round
Z=$PWD/zones; cd "$(mktemp -d)" || exit 9
A="--offline --selector s1 --selector s2 --baseline b.jsonl"
mail-audit $A --zone "$Z/watch-b.zone" w.test v.test 2>/dev/null || exit 9
mail-audit $A --zone "$Z/watch-a.zone" w.test v.test; rc=$?
cd / && rm -rf "$OLDPWD"; exit $rc
