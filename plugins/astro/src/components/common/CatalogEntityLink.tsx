import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useOptionalRouteRef } from '../../hooks/useAstroLinks';

/**
 * A link to a catalog entity such as an owner group, or just its name when
 * the app has no catalog pages. Unlike `EntityRefLink` it never throws for
 * an app without the catalog.
 */
export function CatalogEntityLink(props: {
  entityRef: string;
  defaultKind: string;
}) {
  const entityRoute = useOptionalRouteRef(entityRouteRef);
  let ref;
  try {
    ref = parseEntityRef(props.entityRef, {
      defaultKind: props.defaultKind,
      defaultNamespace: 'default',
    });
  } catch {
    return <>{props.entityRef}</>;
  }
  const label =
    ref.namespace === 'default' ? ref.name : `${ref.namespace}/${ref.name}`;
  if (!entityRoute) {
    return <>{label}</>;
  }
  return <Link to={entityRoute(entityRouteParams(ref))}>{label}</Link>;
}

/** Links to several entities, separated by commas. */
export function CatalogEntityLinks(props: {
  entityRefs: string[];
  defaultKind: string;
}) {
  return (
    <>
      {props.entityRefs.map((entityRef, index) => (
        <span key={entityRef}>
          {index > 0 && ', '}
          <CatalogEntityLink
            entityRef={entityRef}
            defaultKind={props.defaultKind}
          />
        </span>
      ))}
    </>
  );
}
