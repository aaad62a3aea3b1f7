import { goldenTest } from "./golden.ts";

goldenTest("bacula-list-volumes");
