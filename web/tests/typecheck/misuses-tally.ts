// Must NOT compile: the declarations catch a misspelled enum and money given as an object.
import { Engine } from 'tally-billing';

const engine = new Engine('2025-03-01T00:00:00Z');
engine.createContract({
  customer_id: 'c',
  starting_at: '2025-01-01T00:00:00Z',
  commits: [{ type: 'prepayed', product_id: 'p', access_schedule: { schedule_items: [{ amount: { cents: 5 }, starting_at: 'x', ending_before: 'y' }] } }],
});
