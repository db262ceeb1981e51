spf-eval --offline --zone zones/db.example.com --ip 85.100.0.1 --sender bounce@example.com --helo mail.example.com
