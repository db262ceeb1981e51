spf-eval --offline --zone zones/db.example.com --ip 85.99.0.1 --sender "" --helo example.com --receiver mx.example.org
