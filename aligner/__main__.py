from aligner.cli import main

# Guarded: worker processes started with "spawn" import the main module again, and must not
# start a second run inside themselves.
if __name__ == "__main__":
    main()
