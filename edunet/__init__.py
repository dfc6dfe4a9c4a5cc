"""edunet core: load and validate the inventory, and own the model, the IP plan and the topology."""

from edunet.errors import InventoryError, Problem
from edunet.load import load
from edunet.model import Inventory

__all__ = ["Inventory", "InventoryError", "Problem", "load"]
__version__ = "0.1.0"
