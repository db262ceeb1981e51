spf-lint --offline --zone zones/db.example.com traps.example.com
