from dossier.vectors import main

raise SystemExit(main())
