dkim-sign --help
