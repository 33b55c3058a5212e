from replycoach.cli import main

main()
