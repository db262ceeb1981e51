spf-eval --offline --zone zones/db.example.com --ip 2a02:1:2::25 --sender bounce@example.com
