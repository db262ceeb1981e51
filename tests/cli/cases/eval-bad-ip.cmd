spf-eval --ip nonsense --sender a@example.com
