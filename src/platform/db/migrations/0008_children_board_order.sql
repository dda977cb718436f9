-- The tracking board lists children by name: this index lets a page of 50 be read in order and
-- stop, instead of sorting every child in the region (bench:children, issue 4).
create index children_board_order_idx on children (last_name, first_name, id);
