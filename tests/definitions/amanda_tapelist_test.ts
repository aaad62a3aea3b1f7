import { goldenTest } from "./golden.ts";

goldenTest("amanda-tapelist");
