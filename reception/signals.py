"""What reception tells the rest of the centre (what it listens to is in receivers.py).

`visit_left_desk` is sent inside the transaction of every move that takes a ticket being served
away from its desk (finished, referred to another area, closed at night), so that an app which
records what happens at the desk (counselling's sessions) ends its record in the same transaction:
reception itself knows nothing of sessions.
"""

from django.dispatch import Signal

# Sent with ticket=, at= (the moment the visitor left the desk) and kind= (a TicketEvent.Kind).
visit_left_desk = Signal()
