"""etherswitch -- the learning Ethernet bridge (Click's elements/etherswitch)."""
