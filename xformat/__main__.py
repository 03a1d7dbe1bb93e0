from xformat.cli import main

main()
