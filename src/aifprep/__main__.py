from aifprep.cli import main

main()
