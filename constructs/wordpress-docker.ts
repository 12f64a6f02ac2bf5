import { Construct } from 'constructs';
import { DockerPublishOptions, DockerService, DockerServiceOptions } from './docker-service';
import { WordpressOptions, wordpressService } from './wordpress';

/** Props for {@link WordpressDocker}. */
export interface WordpressDockerProps extends WordpressOptions, Omit<DockerServiceOptions, 'waitForHealthy'> {}

/**
 * WordPress on Docker: the `wordpress` service of the compose file, with its
 * content in a named volume. Deploy waits until it is healthy, which needs the
 * database too, so the URL {@link publish} returns works right away.
 */
export class WordpressDocker extends DockerService {
  private publishedUrl?: string;

  constructor(scope: Construct, id: string, props: WordpressDockerProps) {
    super(scope, id, { ...props, waitForHealthy: true, description: wordpressService(props) });
  }

  /** Publishes the site on the host (the compose file's `127.0.0.1:8080:80`); returns its URL. */
  public override publish(options: DockerPublishOptions = {}): string {
    this.publishedUrl = super.publish(options);
    return this.publishedUrl;
  }

  /** URL of the site on the host, e.g. `http://127.0.0.1:8080`, once published. */
  public get url(): string {
    if (this.publishedUrl === undefined) throw new Error(`${this.owner}: not published: call publish() first`);
    return this.publishedUrl;
  }
}
