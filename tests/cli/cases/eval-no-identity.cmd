spf-eval --ip 85.100.0.1
