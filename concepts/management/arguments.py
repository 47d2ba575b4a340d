"""Arguments shared by the content commands (load_content, validate_content)."""


def add_content_arguments(parser, verb: str) -> None:
    parser.add_argument("paths", nargs="*", help=f"YAML files to {verb} (default: every file in fixtures/content)")
    parser.add_argument("--aliases", metavar="FILE",
                        help="search aliases file (default: fixtures/search/aliases.yaml when no paths are given)")
