spf-eval --offline --zone zones/db.example.com --ip 85.99.0.1 --sender a@traps.example.com
