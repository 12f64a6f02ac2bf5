import { Construct } from 'constructs';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { WordpressKeys } from '../constructs/wordpress-keys';

/** The random provider that generates the stack's secrets, configured once per stack. */
export function randomProvider(stack: Construct): void {
  if (!stack.node.tryFindChild('random')) new RandomProvider(stack, 'random');
}

/** wp-config.php's keys and salts, one set for every WordPress container of the stack. */
export function wordpressKeys(stack: Construct): WordpressKeys {
  randomProvider(stack);
  return new WordpressKeys(stack, 'wordpress-keys');
}
