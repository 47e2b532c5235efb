from libsync.cli import main

main()
