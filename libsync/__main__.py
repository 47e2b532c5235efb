from libsync.entry import main

main()
