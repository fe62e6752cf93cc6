"""Everything that draws on the terminal: Rich rendering and questionary prompts."""
