mail-audit --help
