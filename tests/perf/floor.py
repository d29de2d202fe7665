"""Start-up floor for bench_startup.py: the same libraries, one tiny model, one table."""

import pydantic
import rich.console
import rich.table
import typer  # noqa: F401 - imported only for its start-up cost
import yaml


class Item(pydantic.BaseModel):
    name: str
    amount: int


item = Item.model_validate(yaml.safe_load("{name: build, amount: 150000}"))
table = rich.table.Table("Item", "Amount")
table.add_row(item.name, str(item.amount))
rich.console.Console().print(table)
