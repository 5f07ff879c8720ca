"""stub"""
from catalogctl.config.models import Catalog
from catalogctl.config.problems import Problem


def semantic_problems(catalog: Catalog) -> list[Problem]:
    return []
